package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.PeerRefusedException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.RawSocketPeer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket subscriber's limits and how it treats a connection that breaks: {@code maxConnections}
 * refuses and tells the extra publisher, and a TCP reset inside a frame is reported like a cut frame.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketSubscriberLimitsTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp"})
    void shouldRefusePublisherBeyondMaxConnectionsAndAcceptOneOnceAnotherCloses(final String scheme) throws Exception
    {
        final List<Publisher> publishers = new ArrayList<>();
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(subscriberUri(scheme) + "?maxConnections=2"))
        {
            final String publisherUri = publisherUri(scheme, subscriber);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 2; i++)
            {
                publishers.add(Transports.publisher(publisherUri));
                assertTrue(publishers.get(i).offer(i, payload, 0, 8, 10, TimeUnit.SECONDS));
            }
            final PeerRefusedException ex = assertThrows(PeerRefusedException.class, () -> Transports.publisher(publisherUri));
            assertTrue(ex.getMessage().contains("maxConnections"), ex.getMessage());
            final List<Integer> types = new ArrayList<>();
            takeUntil(subscriber, types, 2);
            assertEquals(2, subscriber.connectedPeers(), "the first two are served");
            assertEquals(1, subscriber.refusedPeers());

            publishers.remove(0).close();
            takeUntilConnected(subscriber, 1);
            final Publisher third = Transports.publisher(publisherUri);
            publishers.add(third);
            assertTrue(third.offer(7, payload, 0, 8, 10, TimeUnit.SECONDS));
            takeUntil(subscriber, types, 3);
            assertEquals(List.of(0, 1, 7), types.stream().sorted().toList());
        }
        finally
        {
            for (final Publisher publisher : publishers)
            {
                publisher.close();
            }
        }
    }

    @Test
    void shouldReportTcpResetInsideFrameAsCutFrameAndServeTheOthers() throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber("tcp://127.0.0.1:0");
             Publisher other = Transports.publisher(publisherUri("tcp", subscriber)))
        {
            final int port = ((InetSocketAddress)subscriber.localAddress()).getPort();
            final SocketChannel vanishing = RawSocketPeer.connectTcp(port);
            final ByteBuffer bytes = ByteBuffer.allocate(16 + 20).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putInt(16).putInt(3).putLong(42).putInt(8 + 100).putInt(3).putLong(0).putInt(0).flip();
            while (bytes.hasRemaining())
            {
                vanishing.write(bytes);
            }
            vanishing.setOption(StandardSocketOptions.SO_LINGER, 0);
            vanishing.close(); // a reset

            final List<Long> delivered = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (subscriber.lastPeerFailure() == null && System.nanoTime() - deadline < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.add(b.getLong(o)), 16, 100, TimeUnit.MILLISECONDS);
            }
            final FrameStreamException failure = subscriber.lastPeerFailure();
            assertEquals(List.of(42L), delivered, "the complete frame before the cut one");
            assertTrue(failure != null && failure.getMessage().contains("missing=88"), String.valueOf(failure));
            assertEquals(1, subscriber.failedPeers());

            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            payload.putLong(0, 43);
            assertTrue(other.offer(1, payload, 0, 8, 10, TimeUnit.SECONDS));
            final long again = System.nanoTime() + DEADLINE_NS;
            while (delivered.size() < 2 && System.nanoTime() - again < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.add(b.getLong(o)), 16, 100, TimeUnit.MILLISECONDS);
            }
            assertEquals(List.of(42L, 43L), delivered, "the other publisher is still served");
        }
    }

    private String subscriberUri(final String scheme)
    {
        return "uds".equals(scheme) ? "uds:" + directory.resolve("limit.sock") : "tcp://127.0.0.1:0";
    }

    private String publisherUri(final String scheme, final SocketSubscriber subscriber)
    {
        return "uds".equals(scheme) ? "uds:" + directory.resolve("limit.sock") :
            "tcp://127.0.0.1:" + ((InetSocketAddress)subscriber.localAddress()).getPort();
    }

    private static void takeUntil(final Subscriber subscriber, final List<Integer> types, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (types.size() < count && System.nanoTime() - deadline < 0)
        {
            subscriber.take((t, b, o, l) -> types.add(t), 16, 100, TimeUnit.MILLISECONDS);
        }
        assertEquals(count, types.size(), "frames delivered: " + types);
    }

    private static void takeUntilConnected(final SocketSubscriber subscriber, final int connected) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (subscriber.connectedPeers() != connected && System.nanoTime() - deadline < 0)
        {
            subscriber.take((t, b, o, l) -> { }, 16, 100, TimeUnit.MILLISECONDS);
        }
        assertEquals(connected, subscriber.connectedPeers(), "the closed publisher is gone");
    }
}
