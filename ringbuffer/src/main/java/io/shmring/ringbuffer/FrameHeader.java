package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;

/**
 * A frame header read or written as one 64-bit word, so that a claim, its commit and its recovery
 * each change length and type id together with a single atomic access. With the little-endian
 * layout of {@link FrameDescriptor} the length is the low 32 bits and the type id the high 32 bits.
 */
final class FrameHeader
{
    private static final long LOW_INT_MASK = 0xFFFF_FFFFL;

    private FrameHeader()
    {
    }

    /**
     * @param length value of the length field (negative for an open claim).
     * @param typeId value of the type id field.
     * @return the header word.
     */
    static long pack(final int length, final int typeId)
    {
        return (length & LOW_INT_MASK) | ((long)typeId << Integer.SIZE);
    }

    /**
     * @param alignedLength bytes the padding covers, header included.
     * @return the header word of a committed padding frame.
     */
    static long padding(final int alignedLength)
    {
        return pack(alignedLength, FrameDescriptor.PADDING_TYPE_ID);
    }

    /**
     * @param header a header word.
     * @return its length field.
     */
    static int length(final long header)
    {
        return (int)header;
    }

    /**
     * @param header a header word.
     * @return its type id field.
     */
    static int typeId(final long header)
    {
        return (int)(header >>> Integer.SIZE);
    }
}
