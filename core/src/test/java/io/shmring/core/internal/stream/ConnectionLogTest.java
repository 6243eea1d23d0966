package io.shmring.core.internal.stream;

import io.shmring.core.FileAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a socket subscriber says about single connections (issue 13 breaker, case 6): a line each, with no limit, made
 * 1,500 idle connections 1,500 lines; a peer that closed before the hello was logged as "Broken pipe"; and a peer's
 * user could come out as "(user 0)". Now: at most a burst of lines an interval, then one line saying how many were
 * left out; "closed before its hello"; and users named {@code name(uid)}, as file owners are.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionLogTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int BURST = 5;
    private static final int CONNECTIONS = 40;

    @TempDir
    Path directory;

    private final Logger logger = Logger.getLogger(SocketSubscriber.class.getName());
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(final LogRecord record)
        {
            lines.add(format.formatMessage(record));
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };
    private Path socket;

    @BeforeEach
    void listen()
    {
        socket = directory.resolve("s.sock");
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening()
    {
        logger.removeHandler(capture);
    }

    @Test
    void shouldLogABurstOfConnectionLinesAnIntervalThenSayHowManyWereLeftOut() throws Exception
    {
        try (SocketSubscriber subscriber = subscriber(channel -> null))
        {
            for (int i = 0; i < CONNECTIONS; i++)
            {
                SocketChannel.open(UnixDomainSocketAddress.of(socket)).close(); // connects, never says hello
            }
            pollUntil(subscriber, () -> subscriber.refusedPeers() + subscriber.failedPeers() == CONNECTIONS);
        }

        final List<String> summaries = lines.stream().filter(line -> line.contains("more connections were dropped or refused"))
            .collect(Collectors.toList());
        System.out.println(CONNECTIONS + " connections closed before their hello: " + (lines.size() - summaries.size()) +
            " lines, then " + summaries);
        assertEquals(BURST, lines.size() - summaries.size(), lines::toString);
        assertEquals(List.of("s: " + (CONNECTIONS - BURST) + " more connections were dropped or refused in the last"),
            summaries.stream().map(line -> line.substring(0, line.indexOf(" in the last") + " in the last".length()))
                .collect(Collectors.toList()), lines::toString);
    }

    @Test
    void shouldSayAConnectionClosedBeforeItsHelloRatherThanBrokenPipe() throws Exception
    {
        final CountDownLatch peerClosed = new CountDownLatch(1);
        try (SocketSubscriber subscriber = subscriber(channel ->
        {
            awaitQuietly(peerClosed); // the accepting thread writes the hello only once the peer is gone
            return null;
        }))
        {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            peerClosed.countDown();
            pollUntil(subscriber, () -> subscriber.refusedPeers() == 1);
        }

        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("s: a connection (user " + UserNames.describeCurrentUser() + ") closed before its hello"),
            lines::toString);
        assertFalse(lines.get(0).contains("Broken pipe") || lines.get(0).contains("Exception"), lines::toString);
    }

    @Test
    void shouldNameAPeerUserByNameAndUid() throws Exception
    {
        final long uid = FileAccess.effectiveUid();
        final String name = System.getProperty("user.name");
        // what the JDK reports when it cannot look the name up (no descriptor free, no entry): the bare number
        assertEquals(name + "(" + uid + ")", UserNames.describe(
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(Long.toString(uid))));
        try (SocketSubscriber subscriber = subscriber(channel -> null);
             SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            peer.connect(UnixDomainSocketAddress.of(socket));
            peer.write(ByteBuffer.wrap("NOTHELLO".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            pollUntil(subscriber, () -> subscriber.failedPeers() == 1);
        }

        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("s: dropped publisher #1 (user " + name + "(" + uid + ")): "), lines::toString);
    }

    private SocketSubscriber subscriber(final SocketSubscriber.PeerFilter filter) throws Exception
    {
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new SocketSubscriber("s", server, filter, 1024, 2 * CONNECTIONS, TimeUnit.SECONDS.toNanos(60), 1 << 20, null,
            BURST, TimeUnit.HOURS.toNanos(1));
    }

    private static void pollUntil(final SocketSubscriber subscriber, final BooleanSupplier done) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean())
        {
            subscriber.poll((typeId, buffer, offset, length) -> { }, 10);
            assertTrue(System.nanoTime() - deadline < 0, "not within 60 s: refused=" + subscriber.refusedPeers() +
                " failed=" + subscriber.failedPeers());
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
