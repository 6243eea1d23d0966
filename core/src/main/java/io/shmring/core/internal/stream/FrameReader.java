package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;

/**
 * Reads frames from a byte channel into a receive buffer that grows with the frames actually received,
 * and hands each complete frame to a handler in place.
 * <p>
 * <b>Memory.</b> Nothing is allocated until the first read, which allocates {@link #INITIAL_CAPACITY}
 * bytes (less if one largest frame plus {@link #READ_AHEAD} is smaller). The buffer grows, doubling,
 * only when it is full of one frame that is still arriving, up to that frame's length plus
 * {@link #READ_AHEAD} and never beyond one largest frame plus {@link #READ_AHEAD}: a header announcing
 * a long frame costs nothing until its bytes come, so what a connection holds is at most twice what
 * its peer really sent (and, after a long frame, that frame's size until {@link #release()}).
 * A buffer that the subscriber's budget of receive memory ({@code totalBufferBytes}, shared by its
 * connections) or the JVM's direct memory cannot hold is never allocated: the reader fails with a
 * {@link FrameStreamException} saying so, as for a bad header.
 * <p>
 * One read takes whatever the channel has, so many frames arrive per system call; a frame split across
 * reads is completed by later reads (its bytes move to the front of the buffer only when the space
 * behind them is too short for it). The header is checked as soon as it arrives, before any frame that
 * follows: a length below {@link FrameDescriptor#HEADER_LENGTH} or above the maximum frame, or a type id
 * below 0 (reserved, never sent by a publisher), fails with a {@link FrameStreamException} naming it,
 * after every earlier frame was delivered, and nothing is ever sized from it. A frame cut short by the
 * end of the stream fails the same way, naming the bytes missing.
 * <p>
 * The channel must not block on read when it has nothing (non-blocking sockets, or an adapter that
 * checks readiness first). Not thread-safe.
 */
public final class FrameReader
{
    /** Receive buffer bytes beyond one largest frame, so one read can bring many frames. */
    public static final int READ_AHEAD = 64 * 1024;

    /** Receive buffer bytes allocated at the first read. */
    public static final int INITIAL_CAPACITY = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final ReadableByteChannel channel;
    private final UnsafeBuffer receiveView = new UnsafeBuffer(EMPTY);
    private final int maxMessageLength;
    private final int maxFrameLength;
    private final int maxCapacity;
    private final ReceiveBudget budget;

    private ByteBuffer receiveBuffer;

    private int readIndex;
    private int writeIndex;
    private boolean endOfInput;
    private FrameStreamException failure;
    private long readCalls;

    /**
     * @param channel          source of bytes; reading it must not block when nothing is available.
     * @param maxMessageLength largest payload accepted.
     */
    public FrameReader(final ReadableByteChannel channel, final int maxMessageLength)
    {
        this(channel, maxMessageLength, null);
    }

    /**
     * @param channel          source of bytes; reading it must not block when nothing is available.
     * @param maxMessageLength largest payload accepted.
     * @param budget           what the receive buffers of every connection may hold together, or null for no limit
     *                         but the JVM's direct memory.
     */
    FrameReader(final ReadableByteChannel channel, final int maxMessageLength, final ReceiveBudget budget)
    {
        if (maxMessageLength < 0 || maxMessageLength > Integer.MAX_VALUE / 2 - READ_AHEAD)
        {
            throw new IllegalArgumentException("maxMessageLength out of range: maxMessageLength=" + maxMessageLength);
        }
        this.channel = channel;
        this.maxMessageLength = maxMessageLength;
        this.maxFrameLength = FrameDescriptor.frameLength(maxMessageLength);
        this.maxCapacity = maxFrameLength + READ_AHEAD;
        this.budget = budget;
    }

    /**
     * Deliver the frames already received, then, if fewer than {@code limit} were, read once and
     * deliver what that brought.
     *
     * @param handler receives each message.
     * @param limit   most messages to deliver.
     * @return messages delivered.
     * @throws IOException          if the channel fails.
     * @throws FrameStreamException if the stream breaks the frame format (after delivering what came before).
     */
    public int poll(final MessageHandler handler, final int limit) throws IOException
    {
        int delivered = deliver(handler, limit);
        if (delivered < limit && !endOfInput && read() > 0)
        {
            delivered += deliver(handler, limit - delivered);
        }
        if (endOfInput && delivered < limit)
        {
            checkNothingLeftOver(); // every complete frame is out: what is left is a cut-off one
        }
        return delivered;
    }

    /**
     * As {@link #poll} with a controlled handler; {@code COMMIT} acts as {@code CONTINUE} (a stream has
     * no space to give back early) and {@code ABORT} leaves the message to be delivered again.
     *
     * @param handler receives each message and decides.
     * @param limit   most messages to consume.
     * @return messages consumed.
     * @throws IOException          if the channel fails.
     * @throws FrameStreamException if the stream breaks the frame format (after delivering what came before).
     */
    public int controlledPoll(final ControlledMessageHandler handler, final int limit) throws IOException
    {
        int consumed = 0;
        boolean stopped = false;
        for (int attempt = 0; attempt < 2 && !stopped && consumed < limit; attempt++)
        {
            if (attempt == 1 && (endOfInput || read() <= 0))
            {
                break;
            }
            while (consumed < limit)
            {
                final int frameLength = completeFrameLength();
                if (frameLength < 0)
                {
                    break;
                }
                final int typeId = receiveView.getInt(readIndex + TYPE_ID_OFFSET, FrameDescriptor.BYTE_ORDER);
                final ControlledMessageHandler.Action action = handler.onMessage(
                    typeId, receiveView, readIndex + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                if (action == ControlledMessageHandler.Action.ABORT)
                {
                    stopped = true;
                    break;
                }
                readIndex += frameLength;
                consumed++;
                if (action == ControlledMessageHandler.Action.BREAK)
                {
                    stopped = true;
                    break;
                }
            }
        }
        if (endOfInput && !stopped && consumed < limit)
        {
            checkNothingLeftOver();
        }
        return consumed;
    }

    /**
     * @return true once the channel reported its end and every frame has been delivered.
     */
    public boolean isEndOfStream()
    {
        return endOfInput && readIndex == writeIndex;
    }

    /**
     * @return true once the channel reported its end (frames may still be buffered).
     */
    public boolean isEndOfInput()
    {
        return endOfInput;
    }

    /**
     * @return true if a complete frame is buffered, so a poll delivers without reading.
     */
    public boolean hasCompleteFrame()
    {
        return failure == null && writeIndex - readIndex >= HEADER_LENGTH &&
            completeFrameLength() >= 0;
    }

    /**
     * @return channel reads made so far.
     */
    public long readCalls()
    {
        return readCalls;
    }

    /**
     * @return largest payload accepted.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return bytes of receive buffer held now: 0 before the first read and after {@link #release()}.
     */
    public int capacity()
    {
        return receiveBuffer == null ? 0 : receiveBuffer.capacity();
    }

    /**
     * @return bytes received and not yet delivered (the start of a frame still arriving, or frames a
     * limit left behind).
     */
    public int pendingBytes()
    {
        return writeIndex - readIndex;
    }

    /**
     * The failure to report when the channel broke (e.g. a connection reset) rather than ended: a
     * {@link FrameStreamException} naming the bytes missing if a frame was cut short, which also fails
     * the reader; null if the break came between frames.
     *
     * @param cause how the channel failed.
     * @return the exception, or null.
     */
    public FrameStreamException brokenInsideFrame(final IOException cause)
    {
        final int leftOver = writeIndex - readIndex;
        if (leftOver == 0 || failure != null)
        {
            return failure;
        }
        failure = new FrameStreamException("stream broke inside a frame (" + cause.getMessage() + "), " +
            describeCutFrame(leftOver), cause);
        return failure;
    }

    /**
     * Free the receive buffer now rather than when the garbage collector finds it (a closed
     * connection). Frames not yet delivered are dropped; a later read allocates again.
     */
    public void release()
    {
        final ByteBuffer buffer = receiveBuffer;
        receiveBuffer = null;
        readIndex = 0;
        writeIndex = 0;
        receiveView.wrap(EMPTY);
        if (buffer != null)
        {
            free(buffer);
        }
    }

    private int deliver(final MessageHandler handler, final int limit)
    {
        int delivered = 0;
        while (delivered < limit)
        {
            final int frameLength = completeFrameLength();
            if (frameLength < 0)
            {
                break;
            }
            final int frameIndex = readIndex;
            readIndex += frameLength; // consumed before the handler runs, as a ring does: a throwing handler does not see it twice
            delivered++;
            handler.onMessage(
                receiveView.getInt(frameIndex + TYPE_ID_OFFSET, FrameDescriptor.BYTE_ORDER),
                receiveView, frameIndex + HEADER_LENGTH, frameLength - HEADER_LENGTH);
        }
        return delivered;
    }

    /**
     * @return the length of the complete frame at the read index, or -1 if it has not all arrived.
     */
    private int completeFrameLength()
    {
        if (failure != null)
        {
            throw failure;
        }
        final int available = writeIndex - readIndex;
        if (available < Integer.BYTES)
        {
            return -1;
        }
        final int frameLength = receiveView.getInt(readIndex + LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER);
        if (frameLength < HEADER_LENGTH)
        {
            throw fail("frame length below the header length " + HEADER_LENGTH + ": frameLength=" + frameLength);
        }
        if (frameLength > maxFrameLength)
        {
            throw fail("frame length above the maximum " + maxFrameLength + " (maxMessageLength=" + maxMessageLength +
                " + header): frameLength=" + frameLength);
        }
        if (available >= HEADER_LENGTH)
        {
            final int typeId = receiveView.getInt(readIndex + TYPE_ID_OFFSET, FrameDescriptor.BYTE_ORDER);
            if (typeId < FrameDescriptor.MIN_APPLICATION_TYPE_ID)
            {
                throw fail("type id below " + FrameDescriptor.MIN_APPLICATION_TYPE_ID +
                    " (reserved, never sent on a stream): typeId=" + typeId + " frameLength=" + frameLength);
            }
        }
        return available >= frameLength ? frameLength : -1;
    }

    /**
     * @return bytes read, 0 if none were available, -1 at the end of the stream.
     */
    private int read() throws IOException
    {
        makeRoom();
        receiveBuffer.limit(receiveBuffer.capacity()).position(writeIndex);
        final int bytes = channel.read(receiveBuffer);
        readCalls++;
        if (bytes < 0)
        {
            endOfInput = true;
            return -1;
        }
        writeIndex += bytes;
        return bytes;
    }

    /**
     * Make space behind the bytes received for the frame being read (it is incomplete: every complete
     * frame before it was delivered), allocating at the first read and growing only when the buffer is
     * full of that frame.
     */
    private void makeRoom()
    {
        if (receiveBuffer == null)
        {
            allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
            return;
        }
        if (readIndex == writeIndex)
        {
            readIndex = 0;
            writeIndex = 0;
            return;
        }
        final int capacity = receiveBuffer.capacity();
        final int needed = lengthOfFrameBeingRead();
        if (writeIndex < capacity && capacity - readIndex >= needed)
        {
            return; // the frame completes where it is
        }
        if (readIndex > 0)
        {
            compact();
        }
        if (writeIndex == capacity)
        {
            // full of one frame still arriving: double, but never beyond that frame plus read-ahead
            grow((int)Math.min(Math.min(2L * capacity, (long)needed + READ_AHEAD), maxCapacity));
        }
    }

    /**
     * @return length of the (incomplete) frame at the read index, or the header length while its
     * length has not arrived; its header was already checked by {@link #completeFrameLength()}.
     */
    private int lengthOfFrameBeingRead()
    {
        if (writeIndex - readIndex < Integer.BYTES)
        {
            return HEADER_LENGTH;
        }
        final int frameLength = receiveView.getInt(readIndex + LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER);
        return Math.max(HEADER_LENGTH, Math.min(frameLength, maxFrameLength));
    }

    private void compact()
    {
        final int partial = writeIndex - readIndex;
        receiveView.putBytes(0, receiveView, readIndex, partial); // the start of one frame, moved to the front
        readIndex = 0;
        writeIndex = partial;
    }

    private void grow(final int newCapacity)
    {
        final ByteBuffer old = receiveBuffer;
        final int partial = writeIndex - readIndex;
        allocate(newCapacity); // on failure the old buffer stays, with the reader failed
        receiveView.putBytes(0, old, readIndex, partial);
        readIndex = 0;
        writeIndex = partial;
        free(old);
    }

    /**
     * Allocate a receive buffer of {@code capacity} bytes, within the budget and the JVM's direct memory;
     * if either is short, fail the reader (its connection) with a {@link FrameStreamException} saying so
     * rather than let an {@link OutOfMemoryError} end the process.
     */
    private void allocate(final int capacity)
    {
        if (budget != null && !budget.tryReserve(capacity))
        {
            throw fail("receive buffers would pass totalBufferBytes=" + budget.limitBytes() + " (all connections hold " +
                budget.heldBytes() + "): a buffer of " + capacity + " bytes is needed for frameLength=" +
                announcedFrameLength());
        }
        final ByteBuffer buffer;
        try
        {
            buffer = ByteBuffer.allocateDirect(capacity).order(FrameDescriptor.BYTE_ORDER);
        }
        catch (final OutOfMemoryError ex)
        {
            if (budget != null)
            {
                budget.release(capacity);
            }
            throw fail("out of direct memory for a receive buffer of " + capacity + " bytes (frameLength=" +
                announcedFrameLength() + "; raise -XX:MaxDirectMemorySize or lower totalBufferBytes): " + ex.getMessage());
        }
        receiveBuffer = buffer;
        receiveView.wrap(receiveBuffer);
    }

    private void free(final ByteBuffer buffer)
    {
        final int capacity = buffer.capacity();
        BufferUtil.free(buffer);
        if (budget != null)
        {
            budget.release(capacity);
        }
    }

    /**
     * @return the length the frame being read announces, or 0 while its length has not arrived.
     */
    private int announcedFrameLength()
    {
        return receiveBuffer == null || writeIndex - readIndex < Integer.BYTES ? 0 :
            receiveView.getInt(readIndex + LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER);
    }

    private void checkNothingLeftOver()
    {
        if (failure != null)
        {
            throw failure;
        }
        final int leftOver = writeIndex - readIndex;
        if (leftOver > 0)
        {
            throw fail("stream ended inside a frame, " + describeCutFrame(leftOver));
        }
    }

    private String describeCutFrame(final int leftOver)
    {
        if (leftOver < HEADER_LENGTH)
        {
            return "in its header: received=" + leftOver + " missing=" + (HEADER_LENGTH - leftOver);
        }
        final int frameLength = receiveView.getInt(readIndex + LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER);
        return "frameLength=" + frameLength + " received=" + leftOver + " missing=" + (frameLength - leftOver);
    }

    private FrameStreamException fail(final String message)
    {
        failure = new FrameStreamException(message);
        return failure;
    }
}
