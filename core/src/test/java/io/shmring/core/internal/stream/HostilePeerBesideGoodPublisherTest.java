package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.Publisher;
import io.shmring.core.Transports;
import io.shmring.core.test.RawSocketPeer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber serving many publishers drops the one that breaks the frame format (the issue's length
 * 0x7FFFFFFF), logs it once naming the publisher and the value, and loses nothing a good publisher sent,
 * before or after.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostilePeerBesideGoodPublisherTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(40);
    private static final int FRAMES = 4_000;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp"})
    void shouldDropHostilePeerAndDeliverEveryFrameOfTheGoodOneInOrder(final String scheme) throws Exception
    {
        final Path socket = directory.resolve("hostile.sock");
        final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        final Logger logger = Logger.getLogger(SocketSubscriber.class.getName());
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                if (record.getLevel().intValue() >= Level.WARNING.intValue())
                {
                    warnings.add(record);
                }
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
        logger.addHandler(capture);
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(
            "uds".equals(scheme) ? "uds:" + socket : "tcp://127.0.0.1:0"))
        {
            final String publisherUri = "uds".equals(scheme) ? "uds:" + socket :
                "tcp://127.0.0.1:" + ((InetSocketAddress)subscriber.localAddress()).getPort();
            final String[] hostileAddress = new String[1];
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
            {
                try (Publisher good = Transports.publisher(publisherUri))
                {
                    final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                    for (long value = 1; value <= FRAMES; value++)
                    {
                        if (value == FRAMES / 2)
                        {
                            hostileAddress[0] = sendHostileHeader(scheme, socket, subscriber);
                        }
                        payload.putLong(0, value);
                        assertTrue(good.offer(1, payload, 0, 8, 20, TimeUnit.SECONDS), "offer " + value);
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });

            final List<Long> delivered = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (delivered.size() < FRAMES && System.nanoTime() - deadline < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.add(b.getLong(o)), 64, 100, TimeUnit.MILLISECONDS);
            }
            sending.get(30, TimeUnit.SECONDS);

            final List<Long> expected = new ArrayList<>();
            for (long value = 1; value <= FRAMES; value++)
            {
                expected.add(value);
            }
            assertEquals(expected, delivered, "every frame of the good publisher, in order");
            assertEquals(1, subscriber.failedPeers(), "the hostile peer was dropped");
            final FrameStreamException failure = subscriber.lastPeerFailure();
            assertTrue(failure != null && failure.getMessage().contains("frameLength=2147483647"), String.valueOf(failure));

            assertEquals(1, warnings.size(), "one warning: " + warnings);
            final String line = String.format(warnings.get(0).getMessage().replace("{0}", "%1$s").replace("{1}", "%2$s")
                .replace("{2}", "%3$s"), warnings.get(0).getParameters());
            System.out.println("HostilePeerBesideGoodPublisherTest " + scheme + ": " + line);
            assertTrue(line.contains("dropped publisher #") && line.contains("frameLength=2147483647") &&
                line.contains(hostileAddress[0]), line);
        }
        finally
        {
            logger.removeHandler(capture);
        }
    }

    /**
     * Connect a raw peer, read its hello, write a header announcing a frame of 0x7FFFFFFF bytes, and
     * leave the connection open.
     *
     * @return what the subscriber's warning names the peer by: its address (TCP) or its user (Unix socket).
     */
    private static String sendHostileHeader(final String scheme, final Path socket, final SocketSubscriber subscriber)
        throws Exception
    {
        final SocketChannel hostile = "uds".equals(scheme) ? RawSocketPeer.connectUds(socket) :
            RawSocketPeer.connectTcp(((InetSocketAddress)subscriber.localAddress()).getPort());
        final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x7FFFFFFF).putInt(1).flip();
        while (header.hasRemaining())
        {
            hostile.write(header);
        }
        return "uds".equals(scheme) ? "user " + System.getProperty("user.name") :
            hostile.getLocalAddress().toString();
    }
}
