package io.shmring.examples.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The frames of the cross-process bridge tests: type {@link #TYPE_ID}, 32 bytes, a sequence number at offset 0
 * (what {@code --sequence-offset 0} reads) and three words derived from it, so a receiver can check every byte.
 */
final class SequencedFrames
{
    static final int TYPE_ID = 42;
    static final int LENGTH = 32;

    private SequencedFrames()
    {
    }

    static void write(final MutableDirectBuffer buffer, final int index, final long sequence)
    {
        buffer.putLong(index, sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(index + 8, sequence * 0x9E3779B97F4A7C15L, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(index + 16, ~sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(index + 24, Long.rotateLeft(sequence, 29) ^ 0x5DEECE66DL, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return the sequence, or -1 if the frame is not one of these intact.
     */
    static long check(final int typeId, final DirectBuffer buffer, final int index, final int length)
    {
        if (typeId != TYPE_ID || length != LENGTH)
        {
            return -1;
        }
        final long sequence = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
        final boolean intact = sequence >= 0 &&
            buffer.getLong(index + 8, ByteOrder.LITTLE_ENDIAN) == sequence * 0x9E3779B97F4A7C15L &&
            buffer.getLong(index + 16, ByteOrder.LITTLE_ENDIAN) == ~sequence &&
            buffer.getLong(index + 24, ByteOrder.LITTLE_ENDIAN) == (Long.rotateLeft(sequence, 29) ^ 0x5DEECE66DL);
        return intact ? sequence : -1;
    }
}
