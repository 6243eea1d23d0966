package io.shmring.core;

import java.nio.ByteOrder;

/**
 * Layout of a frame: the one message format used in rings and on byte streams.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |R|              Frame Length (int32 LE, header included)       |
 *  +-+-------------------------------------------------------------+
 *  |                     Type Id (int32 LE)                        |
 *  +---------------------------------------------------------------+
 *  |                        Payload                               ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * The frame length counts the 8-byte header plus the payload, not the alignment. In a ring
 * every frame starts on an {@link #ALIGNMENT} boundary; a negative length (R set) marks a claim
 * still being written, and {@link #PADDING_TYPE_ID} marks filler up to the end of the ring.
 * On a stream frames are packed back to back without alignment. Integers are little-endian.
 */
public final class FrameDescriptor
{
    /** Frame length, header included: int32 LE. */
    public static final int LENGTH_OFFSET = 0;

    /** Message type id: int32 LE. */
    public static final int TYPE_ID_OFFSET = LENGTH_OFFSET + Integer.BYTES;

    /** Length of the frame header; the payload starts here. */
    public static final int HEADER_LENGTH = TYPE_ID_OFFSET + Integer.BYTES;

    /** Frames in a ring start on multiples of this. */
    public static final int ALIGNMENT = HEADER_LENGTH;

    /** Reserved type id of a padding frame: skipped by consumers, never delivered. */
    public static final int PADDING_TYPE_ID = -1;

    /** Smallest type id an application may use; negative ids are reserved. */
    public static final int MIN_APPLICATION_TYPE_ID = 0;

    /** The byte order of every integer in a frame or a ring file. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    private FrameDescriptor()
    {
    }

    /**
     * @param payloadLength bytes of payload.
     * @return the frame length written in the header for that payload.
     */
    public static int frameLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * @param payloadLength bytes of payload.
     * @return the space the frame occupies in a ring, header included, rounded up to {@link #ALIGNMENT}.
     */
    public static int alignedFrameLength(final int payloadLength)
    {
        return align(HEADER_LENGTH + payloadLength);
    }

    /**
     * @param length a length in bytes.
     * @return the length rounded up to a multiple of {@link #ALIGNMENT}.
     */
    public static int align(final int length)
    {
        return (length + (ALIGNMENT - 1)) & -ALIGNMENT;
    }

    /**
     * @param frameOffset offset of the frame.
     * @return offset of its type id.
     */
    public static int typeIdOffset(final int frameOffset)
    {
        return frameOffset + TYPE_ID_OFFSET;
    }

    /**
     * @param frameOffset offset of the frame.
     * @return offset of its payload.
     */
    public static int payloadOffset(final int frameOffset)
    {
        return frameOffset + HEADER_LENGTH;
    }

    /**
     * @param typeId a type id given by an application.
     * @throws IllegalArgumentException if it is a reserved (negative) id.
     */
    public static void checkTypeId(final int typeId)
    {
        if (typeId < MIN_APPLICATION_TYPE_ID)
        {
            throw new IllegalArgumentException(
                "type id must be >= " + MIN_APPLICATION_TYPE_ID + " (negative ids are reserved): typeId=" + typeId);
        }
    }

    /**
     * @param length           payload length of a message to send.
     * @param maxMessageLength largest payload the transport accepts.
     * @throws IllegalArgumentException if the length is negative or above the maximum.
     */
    public static void checkMessageLength(final int length, final int maxMessageLength)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("message length must not be negative: length=" + length);
        }
        if (length > maxMessageLength)
        {
            throw new IllegalArgumentException(
                "message length exceeds maxMessageLength: length=" + length + " maxMessageLength=" + maxMessageLength);
        }
    }

    /**
     * Every layout is little-endian and rings are read with native-order accesses, so a big-endian
     * machine must refuse to run rather than misread them.
     *
     * @throws IllegalStateException on a big-endian machine.
     */
    public static void checkNativeByteOrder()
    {
        if (ByteOrder.nativeOrder() != BYTE_ORDER)
        {
            throw new IllegalStateException(
                "shmring needs a little-endian machine: nativeOrder=" + ByteOrder.nativeOrder());
        }
    }
}
