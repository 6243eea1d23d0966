package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.ClosedException;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Subscriber} reading frames from one byte stream through a {@link FrameReader}.
 * {@link #take} sleeps in the kernel ({@code poll(2)} or a selector) until input arrives, rather than
 * polling with a back-off. After a {@link FrameStreamException} every call fails with it again.
 * Not thread-safe.
 */
public final class StreamSubscriber implements Subscriber
{
    /**
     * Blocks until the stream has input (or has ended), or the timeout passes.
     */
    @FunctionalInterface
    public interface InputWait
    {
        /**
         * @param timeoutNanos longest wait.
         * @throws InterruptedException if the thread is interrupted.
         * @throws IOException          if waiting fails.
         */
        void awaitInput(long timeoutNanos) throws InterruptedException, IOException;
    }

    private final String name;
    private final ReadableByteChannel channel;
    private final FrameReader reader;
    private final InputWait inputWait;
    private final AutoCloseable onClose;
    private boolean closed;

    /**
     * @param name             what the stream is, for messages.
     * @param channel          the stream; its reads must not block when it is empty.
     * @param inputWait        how {@link #take} sleeps until input arrives.
     * @param maxMessageLength largest payload accepted; a longer frame fails the stream.
     * @param onClose          run after the channel is closed (e.g. to delete a file), or null.
     */
    public StreamSubscriber(
        final String name, final ReadableByteChannel channel, final InputWait inputWait, final int maxMessageLength,
        final AutoCloseable onClose)
    {
        this.name = name;
        this.channel = channel;
        this.inputWait = inputWait;
        this.reader = new FrameReader(channel, maxMessageLength);
        this.onClose = onClose;
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        checkOpen();
        try
        {
            return reader.poll(handler, limit);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("read from " + name + " failed", ex);
        }
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        checkOpen();
        try
        {
            return reader.controlledPoll(handler, limit);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("read from " + name + " failed", ex);
        }
    }

    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final int delivered = poll(handler, limit);
            if (delivered > 0 || reader.isEndOfStream())
            {
                return delivered;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("take interrupted: " + name);
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return 0;
            }
            try
            {
                inputWait.awaitInput(remaining);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("wait for input on " + name + " failed", ex);
            }
        }
    }

    @Override
    public boolean isEndOfStream()
    {
        return reader.isEndOfStream();
    }

    /**
     * @return the frame reader (counters of read calls).
     */
    public FrameReader reader()
    {
        return reader;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        reader.release();
        Exception failure = null;
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            failure = ex;
        }
        if (onClose != null)
        {
            try
            {
                onClose.close();
            }
            catch (final Exception ex)
            {
                failure = failure == null ? ex : failure;
            }
        }
        if (failure != null)
        {
            throw new IllegalStateException("closing " + name + " failed", failure);
        }
    }

    @Override
    public String toString()
    {
        return "StreamSubscriber{" + name + '}';
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException("subscriber", name);
        }
    }
}
