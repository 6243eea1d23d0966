package io.shmring.stress;

import io.shmring.core.FrameDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Payloads whose every 8 bytes depend on the message number (used as the type id) and the position,
 * so a torn, stale, zeroed or foreign frame cannot pass {@link #isIntact}. Lengths are multiples of 8.
 */
final class MessagePattern
{
    private MessagePattern()
    {
    }

    /**
     * @param buffer where the payload goes.
     * @param offset payload start.
     * @param number message number, also its type id.
     * @param length payload bytes, a multiple of 8.
     */
    static void fill(final MutableDirectBuffer buffer, final int offset, final int number, final int length)
    {
        for (int i = 0; i < length; i += Long.BYTES)
        {
            buffer.putLong(offset + i, word(number, i));
        }
    }

    /**
     * @param typeId         type id of the delivered frame.
     * @param buffer         the ring's data.
     * @param offset         payload start.
     * @param length         payload bytes delivered.
     * @param expectedLength payload bytes message {@code typeId} was sent with.
     * @return true if the frame is message {@code typeId}, whole.
     */
    static boolean isIntact(
        final int typeId, final DirectBuffer buffer, final int offset, final int length, final int expectedLength)
    {
        if (typeId == FrameDescriptor.PADDING_TYPE_ID || typeId <= 0 || length != expectedLength)
        {
            return false;
        }
        for (int i = 0; i < length; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i) != word(typeId, i))
            {
                return false;
            }
        }
        return true;
    }

    private static long word(final int number, final int i)
    {
        return (number * 0x0101010101010101L) ^ ((long)i << 56) ^ 0x5A5A5A5A5A5A5A5AL;
    }
}
