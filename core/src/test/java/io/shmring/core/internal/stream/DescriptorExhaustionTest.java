package io.shmring.core.internal.stream;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.RawSocketPeer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code tcp:} subscriber in a child JVM limited to {@value #DESCRIPTORS} file descriptors
 * ({@code prlimit}) runs out of them as publishers connect: it refuses the next ones with the hello's
 * "out of file descriptors" status, logs that once, keeps delivering from the connections it has, and
 * accepts again once some close. It answers every connection even while another thread of its process takes
 * descriptors for moments (as the JVM's own container support does): it never admits a connection without a
 * descriptor in reserve to refuse the next one with.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescriptorExhaustionTest
{
    private static final int DESCRIPTORS = 128;
    private static final int REFUSED_RESOURCES = 3;
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(30);
    private static final int CHURN_ATTEMPTS = 300;
    private static final int CONNECT_TIMEOUT_MS = 20_000;

    @TempDir
    Path directory;

    @Test
    void shouldRefuseLogOnceKeepServingAndAcceptAgainWhenDescriptorsRunOut() throws Exception
    {
        final Path stderr = directory.resolve("child.err");
        final List<SocketChannel> connections = new ArrayList<>();
        try (ChildProcess child = ChildProcess.start(limitedSubscriber(stderr, List.of())))
        {
            final String ready = child.awaitLine("ready", WAIT_MS);
            final int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
            System.out.println("DescriptorExhaustionTest: child " + ready);

            // one whole connection first, so every class the subscriber needs is loaded while descriptors last
            try (SocketChannel warmUp = RawSocketPeer.connectTcp(port))
            {
                send(warmUp, 1);
            }
            child.awaitLineCount("frame 1 8", 1, WAIT_MS);
            child.awaitLineCount("end", 1, WAIT_MS);

            int refused = 0;
            while (refused < 3)
            {
                assertTrue(connections.size() < DESCRIPTORS, "accepted " + connections.size() + " connections and never " +
                    "refused one, with a limit of " + DESCRIPTORS + " descriptors");
                if (!connectKeepingAccepted(port, connections))
                {
                    refused++;
                }
            }
            System.out.println("DescriptorExhaustionTest: " + connections.size() + " connections accepted, then " + refused +
                " refused");

            send(connections.get(0), 2);
            send(connections.get(connections.size() - 1), 3);
            child.awaitLineCount("frame 2 8", 1, WAIT_MS);
            child.awaitLineCount("frame 3 8", 1, WAIT_MS);

            for (int i = 0; i < 5; i++)
            {
                connections.remove(connections.size() - 1).close();
            }
            final SocketChannel again = connectUntilAccepted(port);
            connections.add(again);
            send(again, 4);
            child.awaitLineCount("frame 4 8", 1, WAIT_MS);

            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
            connections.clear();
            child.awaitLineCount("end", 2, WAIT_MS);
            child.process().getOutputStream().close();
            assertEquals(0, child.awaitExit(WAIT_MS), "the subscriber ran to the end: " + Files.readString(stderr));
        }
        finally
        {
            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
        }
        final String log = Files.readString(stderr);
        // How many shortages there are depends on the machine (a descriptor the JVM frees for a moment ends one), so the
        // property is per shortage: one warning when it starts, one line when it ends, never one per refused connection
        final List<String> events = new ArrayList<>();
        for (final String line : log.split("\n"))
        {
            if (line.contains("cannot accept publishers"))
            {
                events.add("shortage");
            }
            else if (line.contains("accepting publishers again"))
            {
                events.add("over");
            }
        }
        System.out.println("DescriptorExhaustionTest: shortages logged " + count(log, "cannot accept publishers"));
        assertTrue(!events.isEmpty() && events.size() % 2 == 0, "a warning and an all-clear for each shortage:\n" + log);
        for (int i = 0; i < events.size(); i++)
        {
            assertEquals(i % 2 == 0 ? "shortage" : "over", events.get(i), "one warning per shortage, then one line when " +
                "it is over:\n" + log);
        }
        assertEquals(0, count(log, "Exception"), log);
    }

    @Test
    void shouldAnswerEveryConnectionWhileAnotherThreadTakesDescriptorsForMoments() throws Exception
    {
        final Path stderr = directory.resolve("churn.err");
        final List<SocketChannel> connections = new ArrayList<>();
        try (ChildProcess child = ChildProcess.start(limitedSubscriber(stderr, List.of("churn"))))
        {
            final int port = Integer.parseInt(child.awaitLine("ready", WAIT_MS).replaceAll(".*port=(\\d+).*", "$1"));
            try (SocketChannel warmUp = RawSocketPeer.connectTcp(port))
            {
                send(warmUp, 1);
            }
            child.awaitLineCount("frame 1 8", 1, WAIT_MS);
            int refused = 0;
            for (int attempt = 0; attempt < CHURN_ATTEMPTS; attempt++)
            {
                try
                {
                    if (!connectKeepingAccepted(port, connections))
                    {
                        refused++;
                    }
                }
                catch (final IOException ex)
                {
                    throw new AssertionError("connection " + attempt + " got no answer after " + connections.size() +
                        " were accepted and " + refused + " refused: " + ex.getMessage() + "\n" + Files.readString(stderr), ex);
                }
            }
            System.out.println("DescriptorExhaustionTest with churn: " + connections.size() + " accepted, " + refused +
                " refused, every one answered; shortages logged " + count(Files.readString(stderr), "cannot accept publishers"));
            assertTrue(refused > 0, "descriptors ran out: " + connections.size() + " accepted");
            send(connections.get(connections.size() - 1), 2);
            child.awaitLineCount("frame 2 8", 1, WAIT_MS);
            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
            connections.clear();
            child.process().getOutputStream().close();
            assertEquals(0, child.awaitExit(WAIT_MS), "the subscriber ran to the end: " + Files.readString(stderr));
        }
        finally
        {
            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
        }
    }

    /**
     * A {@code tcp:} subscriber in a child JVM limited to {@value #DESCRIPTORS} descriptors, stderr to a file.
     */
    private static ProcessBuilder limitedSubscriber(final Path stderr, final List<String> extra)
    {
        final File prlimit = new File("/usr/bin/prlimit");
        if (!prlimit.canExecute())
        {
            System.out.println("SKIPPED DescriptorExhaustionTest: no /usr/bin/prlimit to limit a child's descriptors");
        }
        Assumptions.assumeTrue(prlimit.canExecute(), "needs /usr/bin/prlimit");
        final List<String> arguments = new ArrayList<>(List.of("subscribe", "tcp://127.0.0.1:0?maxConnections=10000"));
        arguments.addAll(extra);
        final ProcessBuilder builder = ChildJvm.builder(StreamPeerMain.class, List.of("-XX:-UsePerfData"), arguments);
        builder.command().addAll(0, List.of(prlimit.getPath(), "--nofile=" + DESCRIPTORS + ":" + DESCRIPTORS, "--"));
        builder.redirectError(stderr.toFile());
        return builder;
    }

    private static SocketChannel connectUntilAccepted(final int port) throws Exception
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        final List<SocketChannel> accepted = new ArrayList<>(1);
        while (System.currentTimeMillis() < deadline)
        {
            if (connectKeepingAccepted(port, accepted))
            {
                return accepted.get(0);
            }
            Thread.sleep(10); // the subscriber has not yet seen the closed connections: ask again
        }
        throw new AssertionError("not accepted again within " + WAIT_MS + " ms after connections closed");
    }

    /**
     * Connect as a raw publisher: an accepted connection answers the hello and is kept in {@code connections}, a refused
     * one (whose hello must say out of descriptors) is closed.
     *
     * @return true if accepted.
     * @throws IOException if connecting or reading the hello fails, or either takes longer than 20 s.
     */
    private static boolean connectKeepingAccepted(final int port, final List<SocketChannel> connections) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.socket().connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            final int status = RawSocketPeer.readHelloStatus(channel);
            if (status == RawSocketPeer.ACCEPTED)
            {
                RawSocketPeer.answerHello(channel);
                connections.add(channel);
                return true;
            }
            assertEquals(REFUSED_RESOURCES, status, "a refusal says the subscriber is out of descriptors");
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            channel.close();
            throw ex;
        }
        channel.close();
        return false;
    }

    private static void send(final SocketChannel channel, final int typeId) throws Exception
    {
        final ByteBuffer frame = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(16).putInt(typeId).putLong(typeId);
        frame.flip();
        while (frame.hasRemaining())
        {
            channel.write(frame);
        }
    }


    private static int count(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            count++;
        }
        return count;
    }
}
