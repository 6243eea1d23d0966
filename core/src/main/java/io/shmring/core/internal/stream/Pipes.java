package io.shmring.core.internal.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Stream transports over channels and processes the caller already holds: the parent's side of
 * {@code pipe:}, and any in-process byte channel (e.g. a {@link java.nio.channels.Pipe}).
 */
public final class Pipes
{
    private static final int CHUNK = 64 * 1024;
    private static final long MIN_PARK_NS = 10_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private Pipes()
    {
    }

    /**
     * @param name             what the stream is, for messages.
     * @param channel          a blocking channel.
     * @param maxMessageLength largest payload.
     * @param batchBytes       bytes to gather before a write; 0 writes each message at once.
     * @return a publisher writing frames to it; closing it closes the channel.
     */
    public static StreamPublisher publisher(
        final String name, final WritableByteChannel channel, final int maxMessageLength, final int batchBytes)
    {
        return new StreamPublisher(name, () -> channel, maxMessageLength, batchBytes, null);
    }

    /**
     * @param name             what the stream is, for messages.
     * @param channel          a selectable channel; it is switched to non-blocking mode.
     * @param maxMessageLength largest payload accepted.
     * @param <C>              a selectable, readable channel.
     * @return a subscriber reading frames from it, sleeping in a selector in {@code take}; closing it closes the channel.
     * @throws IOException if the selector cannot be made.
     */
    public static <C extends SelectableChannel & ReadableByteChannel> StreamSubscriber subscriber(
        final String name, final C channel, final int maxMessageLength) throws IOException
    {
        channel.configureBlocking(false);
        final Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        return new StreamSubscriber(name, channel, (timeoutNanos) ->
        {
            selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000)); // a thread interrupt wakes the selector
            selector.selectedKeys().clear();
        }, maxMessageLength, selector);
    }

    /**
     * The parent's publisher into a child's stdin (the child subscribes {@code pipe:stdin}).
     *
     * @param child            a process started with its stdin piped.
     * @param maxMessageLength largest payload.
     * @param batchBytes       bytes to gather before a write; 0 writes each message at once.
     * @return a publisher; closing it closes the child's stdin.
     */
    public static StreamPublisher toChild(final Process child, final int maxMessageLength, final int batchBytes)
    {
        return publisher("stdin of pid " + child.pid(), new OutputStreamChannel(child.getOutputStream()),
            maxMessageLength, batchBytes);
    }

    /**
     * The parent's subscriber to a child's stdout (the child publishes {@code pipe:stdout}).
     * <p>
     * The JDK gives a parent no descriptor to sleep on, so {@code take} parks with a back-off (10 µs up to
     * 1 ms) between checks of {@link InputStream#available()}; and since {@code available()} is 0 both
     * when the pipe is empty and at its end, the end of the stream is seen once the child has exited.
     *
     * @param child            a process started with its stdout piped.
     * @param maxMessageLength largest payload accepted.
     * @return a subscriber; closing it closes the child's stdout.
     */
    public static StreamSubscriber fromChild(final Process child, final int maxMessageLength)
    {
        final InputStream in = child.getInputStream();
        final InputStreamChannel channel = new InputStreamChannel(in, child);
        return new StreamSubscriber("stdout of pid " + child.pid(), channel, (timeoutNanos) ->
        {
            final long deadline = System.nanoTime() + timeoutNanos;
            long park = MIN_PARK_NS;
            while (in.available() == 0 && child.isAlive() && deadline - System.nanoTime() > 0)
            {
                LockSupport.parkNanos(Math.min(park, deadline - System.nanoTime()));
                if (Thread.interrupted())
                {
                    throw new InterruptedException("wait for input interrupted: stdout of pid " + child.pid());
                }
                park = Math.min(MAX_PARK_NS, park * 2);
            }
        }, maxMessageLength, null);
    }

    /**
     * Writes a buffer to a stream and flushes it (a process's stdin is buffered), through one copy
     * buffer allocated up front.
     */
    private static final class OutputStreamChannel implements WritableByteChannel
    {
        private final OutputStream out;
        private final byte[] chunk = new byte[CHUNK];
        private boolean open = true;

        OutputStreamChannel(final OutputStream out)
        {
            this.out = out;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            final int total = src.remaining();
            while (src.hasRemaining())
            {
                final int length = Math.min(chunk.length, src.remaining());
                src.get(chunk, 0, length);
                out.write(chunk, 0, length);
            }
            out.flush();
            return total;
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close() throws IOException
        {
            open = false;
            out.close();
        }
    }

    /**
     * Reads a process's output without blocking: only what {@link InputStream#available()} reports, or,
     * once the process has exited, whatever is left up to the end.
     */
    private static final class InputStreamChannel implements ReadableByteChannel
    {
        private final InputStream in;
        private final Process process;
        private final byte[] chunk = new byte[CHUNK];
        private boolean open = true;

        InputStreamChannel(final InputStream in, final Process process)
        {
            this.in = in;
            this.process = process;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            final int available = in.available();
            if (available == 0 && process.isAlive())
            {
                return 0;
            }
            // at most what is available, or after the exit whatever is left: this read cannot block
            final int length = Math.min(Math.min(chunk.length, dst.remaining()), Math.max(available, 1));
            final int bytes = in.read(chunk, 0, length);
            if (bytes > 0)
            {
                dst.put(chunk, 0, bytes);
            }
            return bytes;
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close() throws IOException
        {
            open = false;
            in.close();
        }
    }
}
