package io.shmring.core.stream;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;

/**
 * Reads frames from a byte channel into one receive buffer allocated up front (one largest frame plus
 * {@link #READ_AHEAD} bytes), and hands each complete frame to a handler in place.
 * <p>
 * One read takes whatever the channel has, so many frames arrive per system call; a frame split across
 * reads is completed by later reads (its bytes move to the front of the buffer only when the space
 * behind them is too short for a largest frame). The length in a header is checked as soon as it
 * arrives, before any frame that follows: a value below {@link FrameDescriptor#HEADER_LENGTH} or above
 * the maximum frame fails with a {@link FrameStreamException} naming it, after every earlier frame was
 * delivered, and nothing is ever sized from it. A frame cut short by the end of the stream fails the
 * same way, naming the bytes missing.
 * <p>
 * The channel must not block on read when it has nothing (non-blocking sockets, or an adapter that
 * checks readiness first). Not thread-safe.
 */
public final class FrameReader
{
    /** Receive buffer bytes beyond one largest frame, so one read can bring many frames. */
    public static final int READ_AHEAD = 64 * 1024;

    private final ReadableByteChannel channel;
    private final ByteBuffer receiveBuffer;
    private final UnsafeBuffer receiveView;
    private final int maxMessageLength;
    private final int maxFrameLength;

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
        if (maxMessageLength < 0 || maxMessageLength > Integer.MAX_VALUE / 2 - READ_AHEAD)
        {
            throw new IllegalArgumentException("maxMessageLength out of range: maxMessageLength=" + maxMessageLength);
        }
        this.channel = channel;
        this.maxMessageLength = maxMessageLength;
        this.maxFrameLength = FrameDescriptor.frameLength(maxMessageLength);
        this.receiveBuffer = ByteBuffer.allocateDirect(maxFrameLength + READ_AHEAD).order(FrameDescriptor.BYTE_ORDER);
        this.receiveView = new UnsafeBuffer(receiveBuffer);
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
        return available >= frameLength ? frameLength : -1;
    }

    /**
     * @return bytes read, 0 if none were available, -1 at the end of the stream.
     */
    private int read() throws IOException
    {
        if (readIndex == writeIndex)
        {
            readIndex = 0;
            writeIndex = 0;
        }
        else if (receiveBuffer.capacity() - readIndex < maxFrameLength)
        {
            final int partial = writeIndex - readIndex;
            receiveView.putBytes(0, receiveView, readIndex, partial); // a partial frame: shorter than one largest frame
            readIndex = 0;
            writeIndex = partial;
        }
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

    private void checkNothingLeftOver()
    {
        final int leftOver = writeIndex - readIndex;
        if (leftOver == 0 || failure != null)
        {
            if (failure != null)
            {
                throw failure;
            }
            return;
        }
        if (leftOver < HEADER_LENGTH)
        {
            throw fail("stream ended inside a frame header: received=" + leftOver + " missing=" + (HEADER_LENGTH - leftOver));
        }
        final int frameLength = receiveView.getInt(readIndex + LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER);
        throw fail("stream ended inside a frame: frameLength=" + frameLength + " received=" + leftOver +
            " missing=" + (frameLength - leftOver));
    }

    private FrameStreamException fail(final String message)
    {
        failure = new FrameStreamException(message);
        return failure;
    }
}
