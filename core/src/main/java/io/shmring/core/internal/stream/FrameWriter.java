package io.shmring.core.internal.stream;

import io.shmring.core.FrameDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;

/**
 * Writes frames (the ring's 8-byte header, then the payload, packed without alignment) to a blocking
 * byte channel.
 * <p>
 * Frames are built in one direct send buffer allocated up front: {@code batchBytes} plus one largest
 * frame, so a frame always fits behind what is batched and a claim can be written in place. The
 * buffer is written out when it holds at least {@code batchBytes} (with {@code batchBytes == 0}:
 * after every frame, one {@code write} per message) or on {@link #flush()}.
 * <p>
 * Payloads are copied into the send buffer, except a payload of at least {@link #GATHER_THRESHOLD}
 * bytes held in a direct {@link ByteBuffer}: it goes out straight from the caller's memory, behind the
 * batched frames and its header, in one gathering write. Heap payloads are always copied: the JDK
 * would copy them into a temporary direct buffer for the system call anyway.
 * <p>
 * Steady state allocates nothing: the only allocation after construction is one view per distinct
 * direct source buffer, kept for reuse. Not thread-safe.
 */
public final class FrameWriter
{
    /** Payloads this large, in a direct ByteBuffer, are written from the caller's memory without a copy. */
    public static final int GATHER_THRESHOLD = 2048;

    private WritableByteChannel channel;
    private GatheringByteChannel gatheringChannel;
    private final ByteBuffer sendBuffer;
    private final UnsafeBuffer sendView;
    private final ByteBuffer[] vector = new ByteBuffer[2];
    private final int maxMessageLength;
    private final int batchBytes;

    private ByteBuffer sourceOwner;
    private ByteBuffer sourceView;
    private int position;
    private long framesWritten;
    private long writeCalls;

    /**
     * @param channel          blocking channel the frames go to.
     * @param maxMessageLength largest payload.
     * @param batchBytes       bytes to gather before writing; 0 writes every frame at once.
     */
    public FrameWriter(final WritableByteChannel channel, final int maxMessageLength, final int batchBytes)
    {
        this(maxMessageLength, batchBytes);
        connect(channel);
    }

    /**
     * A writer whose channel comes later, through {@link #connect}; the send buffer exists at once.
     *
     * @param maxMessageLength largest payload.
     * @param batchBytes       bytes to gather before writing; 0 writes every frame at once.
     */
    public FrameWriter(final int maxMessageLength, final int batchBytes)
    {
        if (maxMessageLength < 0 || maxMessageLength > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("maxMessageLength out of range: maxMessageLength=" + maxMessageLength);
        }
        if (batchBytes < 0 || batchBytes > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("batchBytes out of range: batchBytes=" + batchBytes);
        }
        this.maxMessageLength = maxMessageLength;
        this.batchBytes = batchBytes;
        this.sendBuffer = ByteBuffer.allocateDirect(batchBytes + FrameDescriptor.frameLength(maxMessageLength))
            .order(FrameDescriptor.BYTE_ORDER);
        this.sendView = new UnsafeBuffer(sendBuffer);
    }

    /**
     * @param channel blocking channel the frames go to from now on.
     */
    public void connect(final WritableByteChannel channel)
    {
        this.channel = channel;
        this.gatheringChannel = channel instanceof GatheringByteChannel ? (GatheringByteChannel)channel : null;
    }

    /**
     * @return true once a channel was given.
     */
    public boolean isConnected()
    {
        return channel != null;
    }

    /**
     * Append a frame, copying the payload (or, when large and direct, writing it from its own memory).
     * Arguments are assumed checked by the caller.
     *
     * @param typeId type id.
     * @param src    payload source.
     * @param offset payload start in {@code src}.
     * @param length payload bytes.
     * @throws IOException if the channel fails.
     */
    public void write(final int typeId, final DirectBuffer src, final int offset, final int length) throws IOException
    {
        if (length >= GATHER_THRESHOLD && gatheringChannel != null)
        {
            final ByteBuffer source = src.byteBuffer();
            if (source != null && source.isDirect())
            {
                writeGathered(typeId, source, src.wrapAdjustment() + offset, length);
                return;
            }
        }
        sendView.putBytes(position + HEADER_LENGTH, src, offset, length);
        append(typeId, length);
    }

    /**
     * @return index in {@link #buffer()} where a claimed payload of up to {@code maxMessageLength} goes.
     */
    public int claimIndex()
    {
        return position + HEADER_LENGTH;
    }

    /**
     * Append the frame whose payload was written at {@link #claimIndex()}.
     *
     * @param typeId type id.
     * @param length payload bytes written.
     * @throws IOException if the channel fails.
     */
    public void commitClaim(final int typeId, final int length) throws IOException
    {
        append(typeId, length);
    }

    /**
     * @return the send buffer; claims are written into it.
     */
    public UnsafeBuffer buffer()
    {
        return sendView;
    }

    /**
     * @return largest payload.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return bytes buffered and not yet written.
     */
    public int pendingBytes()
    {
        return position;
    }

    /**
     * @return frames handed to the channel so far.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    /**
     * @return write system calls (channel writes) so far.
     */
    public long writeCalls()
    {
        return writeCalls;
    }

    /**
     * Write every buffered byte, blocking until the channel took them.
     *
     * @throws IOException if the channel fails.
     */
    public void flush() throws IOException
    {
        if (position == 0)
        {
            return;
        }
        sendBuffer.limit(position).position(0);
        while (sendBuffer.hasRemaining())
        {
            channel.write(sendBuffer);
            writeCalls++;
        }
        sendBuffer.clear();
        position = 0;
    }

    /**
     * Drop what is buffered (after the channel failed: those bytes can no longer be sent).
     */
    public void discardPending()
    {
        sendBuffer.clear();
        position = 0;
    }

    private void append(final int typeId, final int length) throws IOException
    {
        sendView.putInt(position + TYPE_ID_OFFSET, typeId, FrameDescriptor.BYTE_ORDER);
        sendView.putInt(position + LENGTH_OFFSET, FrameDescriptor.frameLength(length), FrameDescriptor.BYTE_ORDER);
        position += FrameDescriptor.frameLength(length);
        framesWritten++;
        if (position >= batchBytes)
        {
            flush();
        }
    }

    private void writeGathered(final int typeId, final ByteBuffer source, final int start, final int length)
        throws IOException
    {
        sendView.putInt(position + TYPE_ID_OFFSET, typeId, FrameDescriptor.BYTE_ORDER);
        sendView.putInt(position + LENGTH_OFFSET, FrameDescriptor.frameLength(length), FrameDescriptor.BYTE_ORDER);
        position += HEADER_LENGTH;
        if (source != sourceOwner)
        {
            sourceOwner = source;
            sourceView = source.duplicate();
        }
        sourceView.clear();
        sourceView.limit(start + length).position(start);
        sendBuffer.limit(position).position(0);
        vector[0] = sendBuffer;
        vector[1] = sourceView;
        while (sourceView.hasRemaining())
        {
            gatheringChannel.write(vector);
            writeCalls++;
        }
        sendBuffer.clear();
        position = 0;
        framesWritten++;
    }
}
