package io.shmring.core.internal.stream;

import io.shmring.core.ClosedException;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link Publisher} writing frames to a byte stream (pipe, FIFO, socket) through a {@link FrameWriter}.
 * <p>
 * <b>Flushing.</b> With {@code batchBytes == 0} (the default of every stream URI) each {@code offer} and
 * {@code commit} writes its frame before returning: one system call per message, nothing left behind,
 * no {@link #flush()} needed. With {@code batch=N} in the URI frames are gathered until N bytes are
 * waiting, then written in one call; the caller must {@link #flush()} (or close) to send a partial
 * batch.
 * <p>
 * <b>Back-pressure.</b> The channel is blocking: when the reader falls behind and the kernel buffer
 * fills, a write blocks until it drains, as writing to a pipe does. {@code offer} returns false (and
 * {@code tryClaim} {@link #INSUFFICIENT_CAPACITY}) only while the reader is not there yet: a publisher
 * may be made before its subscriber, and connects on a later call (at most one attempt per
 * millisecond); the timed {@code offer} waits for it.
 * <p>
 * <b>Refusals.</b> Opening the stream (at construction, or on a later call while not connected) may
 * also fail for good reasons, thrown from there as {@link io.shmring.core.ShmringException}s: a file
 * this user must not trust ({@link io.shmring.core.InsecureFileException}), a socket listener of an
 * untrusted user ({@link io.shmring.core.UntrustedPeerException}), a subscriber that refused this
 * publisher or did not accept it in time ({@link io.shmring.core.PeerRefusedException}; a later call
 * tries again). Nothing was sent then.
 * <p>
 * A failed write (reader gone) is an {@link UncheckedIOException}; the publisher then refuses further
 * use ({@link IllegalStateException}) and only needs closing. Not thread-safe.
 */
public final class StreamPublisher implements Publisher
{
    /**
     * Opens the stream to the subscriber.
     */
    @FunctionalInterface
    public interface Connector
    {
        /**
         * @return the open blocking channel, or null if the subscriber is not there yet.
         * @throws IOException on any other failure.
         */
        WritableByteChannel tryConnect() throws IOException;
    }

    private static final int NO_CLAIM = -1;
    private static final long CONNECT_RETRY_NS = 1_000_000;

    private final String name;
    private final Connector connector;
    private final FrameWriter writer;
    private final AutoCloseable onClose;

    private WritableByteChannel channel;
    private long nextConnectAttemptNs;
    private int claimIndex = NO_CLAIM;
    private int claimTypeId;
    private int claimLength;
    private boolean closed;
    private IOException writeFailure;

    /**
     * @param name             what the stream is, for messages.
     * @param connector        opens the channel; tried now and then again until it succeeds.
     * @param maxMessageLength largest payload.
     * @param batchBytes       bytes to gather before writing; 0 writes each frame at once.
     * @param onClose          run after the channel is closed (e.g. to delete a file), or null.
     */
    public StreamPublisher(
        final String name, final Connector connector, final int maxMessageLength, final int batchBytes,
        final AutoCloseable onClose)
    {
        this.name = name;
        this.connector = connector;
        this.writer = new FrameWriter(maxMessageLength, batchBytes);
        this.onClose = onClose;
        tryConnect();
    }

    /**
     * @return true once the stream to the subscriber is open.
     */
    public boolean isConnected()
    {
        return channel != null;
    }

    /**
     * @return the frame writer (counters of frames and write calls).
     */
    public FrameWriter writer()
    {
        return writer;
    }

    @Override
    public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        checkMessage(typeId, length);
        if (!isConnected() && !tryConnect())
        {
            return false;
        }
        try
        {
            writer.write(typeId, src, offset, length);
        }
        catch (final IOException ex)
        {
            throw writeFailed(ex);
        }
        return true;
    }

    @Override
    public int tryClaim(final int typeId, final int length)
    {
        checkMessage(typeId, length);
        if (!isConnected() && !tryConnect())
        {
            return INSUFFICIENT_CAPACITY;
        }
        claimIndex = writer.claimIndex();
        claimTypeId = typeId;
        claimLength = length;
        return claimIndex;
    }

    @Override
    public UnsafeBuffer buffer()
    {
        return writer.buffer();
    }

    @Override
    public void commit(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
        try
        {
            writer.commitClaim(claimTypeId, claimLength);
        }
        catch (final IOException ex)
        {
            throw writeFailed(ex);
        }
    }

    @Override
    public void abort(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM; // the frame was never appended: the next claim reuses the space
    }

    @Override
    public void flush()
    {
        checkOpen();
        if (isConnected())
        {
            try
            {
                writer.flush();
            }
            catch (final IOException ex)
            {
                throw writeFailed(ex);
            }
        }
    }

    @Override
    public int maxMessageLength()
    {
        return writer.maxMessageLength();
    }

    /**
     * Write what is batched (an open claim is dropped), then close the stream: the subscriber sees its end.
     *
     * @throws UncheckedIOException if the batched frames could not be written.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        claimIndex = NO_CLAIM;
        IOException failure = null;
        try
        {
            if (isConnected())
            {
                writer.flush();
            }
        }
        catch (final IOException ex)
        {
            failure = ex;
        }
        finally
        {
            failure = closeQuietly(failure);
        }
        if (failure != null)
        {
            throw new UncheckedIOException("closing " + name + " lost batched frames or failed", failure);
        }
    }

    private IOException closeQuietly(final IOException failure)
    {
        IOException result = failure;
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ex)
        {
            result = result == null ? ex : result;
        }
        if (onClose != null)
        {
            try
            {
                onClose.close();
            }
            catch (final Exception ex)
            {
                result = result == null ? new IOException("cleanup of " + name + " failed", ex) : result;
            }
        }
        return result;
    }

    @Override
    public String toString()
    {
        return "StreamPublisher{" + name + (isConnected() ? "" : ", not connected") + '}';
    }

    private boolean tryConnect()
    {
        final long now = System.nanoTime();
        if (nextConnectAttemptNs != 0 && now - nextConnectAttemptNs < 0)
        {
            return false;
        }
        nextConnectAttemptNs = now + CONNECT_RETRY_NS;
        try
        {
            channel = connector.tryConnect();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open " + name, ex);
        }
        if (channel != null)
        {
            writer.connect(channel);
            return true;
        }
        return false;
    }

    private UncheckedIOException writeFailed(final IOException ex)
    {
        writeFailure = ex;
        writer.discardPending(); // reported here; close must not report the same loss again
        return new UncheckedIOException("write to " + name + " failed (reader gone?)", ex);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException("publisher", name);
        }
        if (writeFailure != null)
        {
            throw new IllegalStateException("publisher failed on an earlier write, close it: " + name, writeFailure);
        }
    }

    private void checkMessage(final int typeId, final int length)
    {
        checkOpen();
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("a claim is open, commit or abort it first: index=" + claimIndex);
        }
        FrameDescriptor.checkTypeId(typeId);
        FrameDescriptor.checkMessageLength(length, writer.maxMessageLength());
    }

    private void checkClaim(final int index)
    {
        checkOpen();
        if (claimIndex == NO_CLAIM)
        {
            throw new IllegalStateException("no open claim (already committed or aborted?): index=" + index);
        }
        if (index != claimIndex)
        {
            throw new IllegalStateException("index does not match the open claim: index=" + index + " claim=" + claimIndex);
        }
    }
}
