package io.shmring.core.internal.stream;

import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.RawSocketPeer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A subscriber of one stream transport and a way to write raw bytes into it, as a hostile peer would.
 */
enum HostileEndpoint
{
    /** {@code uds:} with a raw Unix socket peer that reads the hello, then writes. */
    UDS
    {
        @Override
        Subscriber subscribe(final Path directory, final int index, final int maxMessageLength)
        {
            return Transports.subscriber("uds:" + directory.resolve("fuzz-" + index + ".sock") +
                "?maxMessageLength=" + maxMessageLength);
        }

        @Override
        WritableByteChannel connect(final Subscriber subscriber, final Path directory, final int index) throws IOException
        {
            return RawSocketPeer.connectUds(directory.resolve("fuzz-" + index + ".sock"));
        }
    },
    /** {@code tcp:} on loopback with a raw peer that reads the hello, then writes with TCP_NODELAY. */
    TCP
    {
        @Override
        Subscriber subscribe(final Path directory, final int index, final int maxMessageLength)
        {
            return Transports.subscriber("tcp://127.0.0.1:0?maxMessageLength=" + maxMessageLength);
        }

        @Override
        WritableByteChannel connect(final Subscriber subscriber, final Path directory, final int index) throws IOException
        {
            final int port = ((InetSocketAddress)((SocketSubscriber)subscriber).localAddress()).getPort();
            final SocketChannel channel = RawSocketPeer.connectTcp(port);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        }

        @Override
        void vanish(final WritableByteChannel channel) throws IOException
        {
            ((SocketChannel)channel).setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a reset
            channel.close();
        }
    },
    /** {@code fifo:} with the FIFO's write end opened raw. */
    FIFO
    {
        @Override
        Subscriber subscribe(final Path directory, final int index, final int maxMessageLength)
        {
            return Transports.subscriber("fifo:" + directory.resolve("fuzz-" + index + ".fifo") +
                "?maxMessageLength=" + maxMessageLength);
        }

        @Override
        WritableByteChannel connect(final Subscriber subscriber, final Path directory, final int index) throws IOException
        {
            final WritableByteChannel writer = Fifo.tryOpenWriter(directory.resolve("fuzz-" + index + ".fifo"));
            if (writer == null)
            {
                throw new IOException("the subscriber holds no read end");
            }
            return writer;
        }
    },
    /** A pipe read through {@link Pipes#subscriber}, written raw. */
    PIPE
    {
        @Override
        Subscriber subscribe(final Path directory, final int index, final int maxMessageLength) throws IOException
        {
            final Pipe pipe = Pipe.open();
            final StreamSubscriber subscriber = Pipes.subscriber("pipe-" + index, pipe.source(), maxMessageLength);
            return new PipeSubscriber(subscriber, pipe.sink());
        }

        @Override
        WritableByteChannel connect(final Subscriber subscriber, final Path directory, final int index)
        {
            return ((PipeSubscriber)subscriber).sink;
        }
    };

    /**
     * @param directory        where files go.
     * @param index            the case number (names its file).
     * @param maxMessageLength the subscriber's maximum.
     * @return a new subscriber.
     * @throws IOException if it cannot be set up.
     */
    abstract Subscriber subscribe(Path directory, int index, int maxMessageLength) throws IOException;

    /**
     * @param subscriber the case's subscriber.
     * @param directory  where files go.
     * @param index      the case number.
     * @return a blocking channel into the subscriber; writes need direct buffers.
     * @throws IOException if it cannot connect.
     */
    abstract WritableByteChannel connect(Subscriber subscriber, Path directory, int index) throws IOException;

    /**
     * Go away abruptly.
     *
     * @param channel the peer's channel.
     * @throws IOException if closing fails.
     */
    void vanish(final WritableByteChannel channel) throws IOException
    {
        channel.close();
    }

    /**
     * @param receiver a subscriber of this transport.
     * @return receive buffer bytes it holds now.
     */
    static long receiveBufferBytes(final Subscriber receiver)
    {
        final Subscriber subscriber = receiver instanceof PipeSubscriber ? ((PipeSubscriber)receiver).delegate : receiver;
        return subscriber instanceof SocketSubscriber ? ((SocketSubscriber)subscriber).receiveBufferBytes() :
            ((StreamSubscriber)subscriber).reader().capacity();
    }

    /**
     * Write all of {@code bytes[from, from + length)} through a direct buffer.
     *
     * @param channel where to.
     * @param bytes   what.
     * @param from    first byte.
     * @param length  how many.
     * @throws IOException if the write fails.
     */
    static void writeFully(final WritableByteChannel channel, final byte[] bytes, final int from, final int length)
        throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        buffer.put(bytes, from, length).flip();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /**
     * A pipe subscriber that also owns the write end handed to the peer.
     */
    private static final class PipeSubscriber implements Subscriber
    {
        private final StreamSubscriber delegate;
        private final Pipe.SinkChannel sink;

        PipeSubscriber(final StreamSubscriber delegate, final Pipe.SinkChannel sink)
        {
            this.delegate = delegate;
            this.sink = sink;
        }

        @Override
        public int poll(final io.shmring.core.MessageHandler handler, final int limit)
        {
            return delegate.poll(handler, limit);
        }

        @Override
        public int controlledPoll(final io.shmring.core.ControlledMessageHandler handler, final int limit)
        {
            return delegate.controlledPoll(handler, limit);
        }

        @Override
        public int take(final io.shmring.core.MessageHandler handler, final int limit, final long timeout,
            final java.util.concurrent.TimeUnit unit) throws InterruptedException
        {
            return delegate.take(handler, limit, timeout, unit);
        }

        @Override
        public boolean isEndOfStream()
        {
            return delegate.isEndOfStream();
        }

        @Override
        public void close()
        {
            try
            {
                sink.close();
            }
            catch (final IOException ignore)
            {
                // the peer's end; the subscriber's close below reports its own failures
            }
            delegate.close();
        }
    }
}
