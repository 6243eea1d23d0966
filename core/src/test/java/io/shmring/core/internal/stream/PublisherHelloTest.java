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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only a publisher (a connection that answered with the publisher's hello) can end a socket subscriber's stream,
 * by closing between frames: a connection that closes before its hello, one that sends other bytes, one dropped
 * for a bad frame, or one that stays silent past {@code helloTimeoutMs} is dropped and ends nothing, and the silent
 * one frees its place among the {@code maxConnections}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PublisherHelloTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp"})
    void shouldNotEndTheStreamWhenPeersWithoutHelloOrDroppedOnesCloseButWhenAPublisherCloses(final String scheme)
        throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(subscriberUri(scheme, "")))
        {
            final List<Long> delivered = new ArrayList<>();
            connect(scheme, subscriber).close(); // dropped, or refused if gone before the subscriber's hello is written
            awaitGone(subscriber, delivered, 1);

            final SocketChannel readHelloThenClose = connect(scheme, subscriber);
            assertEquals(RawSocketPeer.ACCEPTED, RawSocketPeer.readHelloStatus(readHelloThenClose));
            readHelloThenClose.close();
            awaitGone(subscriber, delivered, 2);

            final SocketChannel http = connect(scheme, subscriber);
            assertEquals(RawSocketPeer.ACCEPTED, RawSocketPeer.readHelloStatus(http));
            write(http, ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            awaitGone(subscriber, delivered, 3);
            assertTrue(subscriber.lastPeerFailure().getMessage().contains("not a version 2 publisher hello") &&
                subscriber.lastPeerFailure().getMessage().contains("474554202f204854"), subscriber.lastPeerFailure().getMessage());
            http.close();

            try (Publisher good = Transports.publisher(publisherUri(scheme, subscriber)))
            {
                offer(good, 1);
                final SocketChannel hostile = publisherPeer(scheme, subscriber);
                write(hostile, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFFF).putInt(1).flip());
                hostile.close(); // a publisher, dropped for its frame length
                awaitGone(subscriber, delivered, 4);
                assertTrue(subscriber.lastPeerFailure().getMessage().contains("frameLength=2147483647"),
                    subscriber.lastPeerFailure().getMessage());
                offer(good, 2);
                awaitUntil(subscriber, delivered, () -> delivered.size() == 2);
                assertFalse(subscriber.isEndOfStream(), "the good publisher is still connected");
            }
            awaitUntil(subscriber, delivered, subscriber::isEndOfStream);
            assertEquals(List.of(1L, 2L), delivered, "every frame of the good publisher");
            assertTrue(subscriber.isEndOfStream(), "the good publisher's clean close ends the stream");
            assertEquals(4, subscriber.failedPeers() + subscriber.refusedPeers(), "connections dropped or refused");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp"})
    void shouldNotEndTheStreamWhenTheOnlyPeerIsADroppedPublisher(final String scheme) throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(subscriberUri(scheme, "")))
        {
            final List<Long> delivered = new ArrayList<>();
            final SocketChannel hostile = publisherPeer(scheme, subscriber);
            write(hostile, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(16).putInt(1).putLong(7)
                .putInt(0).putInt(1).flip());
            hostile.close();
            awaitGone(subscriber, delivered, 1);
            assertEquals(List.of(7L), delivered, "the frame before the bad one");
            assertTrue(subscriber.lastPeerFailure().getMessage().contains("frameLength=0"),
                subscriber.lastPeerFailure().getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp"})
    void shouldDropAConnectionSilentPastTheHelloTimeoutSoAPublisherGetsTheOnlyPlace(final String scheme)
        throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(
            subscriberUri(scheme, "?maxConnections=1&helloTimeoutMs=300")))
        {
            final List<Long> delivered = new ArrayList<>();
            final SocketChannel idle = "uds".equals(scheme) ? RawSocketPeer.acceptedUds(socket()) :
                RawSocketPeer.acceptedTcp(port(subscriber));
            idle.configureBlocking(false);
            final ByteBuffer probe = ByteBuffer.allocate(1);
            awaitUntil(subscriber, delivered, () -> readQuietly(idle, probe) < 0); // the subscriber closed it
            idle.close();
            final FrameStreamException failure = subscriber.lastPeerFailure();
            assertTrue(failure != null && failure.getMessage().contains("no publisher hello within 300 ms"),
                String.valueOf(failure));
            assertEquals(1, subscriber.failedPeers());
            assertFalse(subscriber.isEndOfStream());

            try (Publisher good = Transports.publisher(publisherUri(scheme, subscriber) + "?acceptTimeoutMs=20000"))
            {
                offer(good, 5);
                awaitUntil(subscriber, delivered, () -> delivered.size() == 1);
            }
            awaitUntil(subscriber, delivered, subscriber::isEndOfStream);
            assertEquals(List.of(5L), delivered, "the publisher got the place the silent connection held");
            assertEquals(0, subscriber.refusedPeers(), "the publisher was not refused for want of a place");
        }
    }

    private static int readQuietly(final SocketChannel channel, final ByteBuffer buffer)
    {
        try
        {
            return channel.read(buffer.clear());
        }
        catch (final java.io.IOException ex)
        {
            return -1; // reset: closed too
        }
    }

    private static void offer(final Publisher publisher, final long value) throws InterruptedException
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        payload.putLong(0, value);
        assertTrue(publisher.offer(1, payload, 0, 8, 20, TimeUnit.SECONDS), "offer " + value);
    }

    private static void write(final SocketChannel channel, final ByteBuffer bytes) throws Exception
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    /**
     * Wait until {@code gone} connections were dropped or refused, or the stream ended (as the old rule ended it: the
     * assertion after names that).
     */
    private static void awaitGone(final SocketSubscriber subscriber, final List<Long> delivered, final long gone)
        throws InterruptedException
    {
        awaitUntil(subscriber, delivered, () -> subscriber.failedPeers() + subscriber.refusedPeers() >= gone ||
            subscriber.isEndOfStream());
        assertFalse(subscriber.isEndOfStream(), "the stream ended by a connection that was no publisher, or was dropped");
        assertEquals(gone, subscriber.failedPeers() + subscriber.refusedPeers(), "connections dropped or refused");
    }

    private static void awaitUntil(final SocketSubscriber subscriber, final List<Long> delivered,
        final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "not reached within 30 s");
            subscriber.take((t, b, o, l) -> delivered.add(b.getLong(o)), 16, 50, TimeUnit.MILLISECONDS);
        }
    }

    private SocketChannel connect(final String scheme, final SocketSubscriber subscriber) throws Exception
    {
        if ("uds".equals(scheme))
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket()));
            return channel;
        }
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port(subscriber)));
    }

    private SocketChannel publisherPeer(final String scheme, final SocketSubscriber subscriber) throws Exception
    {
        return "uds".equals(scheme) ? RawSocketPeer.connectUds(socket()) : RawSocketPeer.connectTcp(port(subscriber));
    }

    private Path socket()
    {
        return directory.resolve("hello.sock");
    }

    private static int port(final SocketSubscriber subscriber)
    {
        return subscriber.localAddress() instanceof InetSocketAddress ?
            ((InetSocketAddress)subscriber.localAddress()).getPort() : -1;
    }

    private String subscriberUri(final String scheme, final String query)
    {
        return ("uds".equals(scheme) ? "uds:" + socket() : "tcp://127.0.0.1:0") + query;
    }

    private String publisherUri(final String scheme, final SocketSubscriber subscriber)
    {
        return "uds".equals(scheme) ? "uds:" + socket() : "tcp://127.0.0.1:" + port(subscriber);
    }
}
