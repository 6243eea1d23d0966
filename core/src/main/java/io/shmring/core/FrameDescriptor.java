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
     * Largest frame length whose aligned size still fits an int: {@code 0x7FFFFFF8}. Ring and stream limits are far
     * below it; it bounds the arithmetic, not the protocol.
     */
    public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE & -ALIGNMENT;

    /**
     * @param payloadLength bytes of payload, {@code 0 .. MAX_FRAME_LENGTH - HEADER_LENGTH}.
     * @return the space the frame occupies in a ring, header included, rounded up to {@link #ALIGNMENT}.
     * @throws IllegalArgumentException if the payload length is negative or its frame would not fit an int.
     */
    public static int alignedFrameLength(final int payloadLength)
    {
        if (payloadLength < 0 || payloadLength > MAX_FRAME_LENGTH - HEADER_LENGTH)
        {
            throw new IllegalArgumentException("payload length out of range 0.." + (MAX_FRAME_LENGTH - HEADER_LENGTH) +
                ": payloadLength=" + payloadLength);
        }
        return (int)align(HEADER_LENGTH + (long)payloadLength);
    }

    /**
     * Rounds up in 64 bits, so no int length (not even {@code Integer.MAX_VALUE}) wraps around.
     *
     * @param length a length in bytes, {@code >= 0}.
     * @return the length rounded up to a multiple of {@link #ALIGNMENT}.
     */
    public static long align(final long length)
    {
        return (length + (ALIGNMENT - 1)) & -(long)ALIGNMENT;
    }

    /**
     * The frame-length rule of rings and streams: {@code 8 <= frameLength <= 8 + maxMessageLength}. One subtraction
     * and one unsigned compare, so a consumer can afford it on every frame.
     *
     * @param frameLength      the length field read from a header (any int, negative included).
     * @param maxMessageLength largest payload, {@code >= 0}.
     * @return true if a frame of that length may be delivered.
     */
    public static boolean isValidFrameLength(final int frameLength, final int maxMessageLength)
    {
        return Integer.compareUnsigned(frameLength - HEADER_LENGTH, maxMessageLength) <= 0;
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
