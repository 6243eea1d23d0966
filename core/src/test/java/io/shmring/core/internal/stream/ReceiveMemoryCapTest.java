package io.shmring.core.internal.stream;

import io.shmring.core.Subscriber;
import io.shmring.core.TransportUri;
import io.shmring.core.Transports;
import io.shmring.core.test.RawSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code totalBufferBytes} caps the receive buffers of all a socket subscriber's connections together: the
 * connection whose frame would pass it is dropped, the others keep what they hold and are served.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReceiveMemoryCapTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(40);
    private static final int MAX_MESSAGE = 1024 * 1024;
    /** The least cap for 1 MiB messages: two largest receive buffers. */
    private static final long CAP = 2L * (MAX_MESSAGE + 8 + FrameReader.READ_AHEAD);

    @Test
    void shouldDropTheConnectionWhoseFramePassesTheCapAndServeTheOthers() throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(
            "tcp://127.0.0.1:0?maxMessageLength=1m&totalBufferBytes=" + CAP))
        {
            final int port = ((InetSocketAddress)subscriber.localAddress()).getPort();
            final List<byte[]> delivered = new ArrayList<>();
            final SocketChannel first = RawSocketPeer.connectTcp(port);
            final CompletableFuture<Void> firstWrite = writeAsync(first, frame(MAX_MESSAGE, (byte)1));
            takeUntil(subscriber, delivered, 1);
            firstWrite.get(30, TimeUnit.SECONDS);
            assertEquals(MAX_MESSAGE, delivered.get(0).length);
            assertTrue(subscriber.receiveBufferBytes() > MAX_MESSAGE, "the first connection keeps its grown buffer: " +
                subscriber.receiveBufferBytes());

            // a second largest frame: its buffer, growing by doubling, would pass the cap beside the first one's
            final SocketChannel second = RawSocketPeer.connectTcp(port);
            final CompletableFuture<Void> secondWrite = writeAsync(second, frame(MAX_MESSAGE, (byte)2));
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (subscriber.failedPeers() == 0 && System.nanoTime() - deadline < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.add(new byte[l]), 16, 100, TimeUnit.MILLISECONDS);
                assertTrue(subscriber.receiveBufferBytes() <= CAP, "held " + subscriber.receiveBufferBytes());
            }
            assertEquals(1, subscriber.failedPeers(), "the second connection was dropped");
            assertEquals(1, delivered.size(), "nothing of the dropped connection's frame was delivered");
            final String failure = String.valueOf(subscriber.lastPeerFailure());
            assertTrue(failure.contains("totalBufferBytes=" + CAP) && failure.contains("frameLength=" + (MAX_MESSAGE + 8)),
                failure);
            try
            {
                secondWrite.get(30, TimeUnit.SECONDS);
            }
            catch (final Exception expected)
            {
                // its connection was closed under it
            }
            second.close();

            // the first connection is still served
            writeAsync(first, frame(100, (byte)3)).get(30, TimeUnit.SECONDS);
            takeUntil(subscriber, delivered, 2);
            assertEquals(100, delivered.get(1).length);
            assertEquals(3, delivered.get(1)[99]);
            first.close();
            System.out.println("ReceiveMemoryCapTest: cap " + CAP + " bytes; dropped: " + failure);
        }
    }

    @Test
    void shouldRefuseACapBelowTwoLargestReceiveBuffersNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("tcp://127.0.0.1:0?maxMessageLength=1m&totalBufferBytes=1m"));
        assertTrue(ex.getMessage().contains("totalBufferBytes") && ex.getMessage().contains("1m"), ex.getMessage());
    }

    @Test
    void shouldDefaultToSixtyFourMebibytesOrTwoLargestBuffers()
    {
        assertEquals(64L * 1024 * 1024, StreamParameters.totalBufferBytes(
            TransportUri.parse("tcp://127.0.0.1:0"), StreamParameters.DEFAULT_MAX_MESSAGE_LENGTH));
        assertEquals(2L * (256L * 1024 * 1024 + 8 + FrameReader.READ_AHEAD), StreamParameters.totalBufferBytes(
            TransportUri.parse("tcp://127.0.0.1:0"), 256 * 1024 * 1024));
    }

    private static void takeUntil(final Subscriber subscriber, final List<byte[]> delivered, final int count)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (delivered.size() < count && System.nanoTime() - deadline < 0)
        {
            subscriber.take((t, b, o, l) ->
            {
                final byte[] payload = new byte[l];
                b.getBytes(o, payload);
                delivered.add(payload);
            }, 16, 100, TimeUnit.MILLISECONDS);
        }
        assertEquals(count, delivered.size(), "frames delivered");
    }

    private static ByteBuffer frame(final int payloadLength, final byte fill)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(8 + payloadLength).order(ByteOrder.LITTLE_ENDIAN); // streams do not align
        bytes.putInt(8 + payloadLength).putInt(1);
        while (bytes.hasRemaining())
        {
            bytes.put(fill);
        }
        return bytes.flip();
    }

    private static CompletableFuture<Void> writeAsync(final SocketChannel channel, final ByteBuffer bytes)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }
}
