package io.shmring.ringbuffer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * Deterministic test messages that carry their own sequence number and checksum, so a receiver in
 * another process can prove order, completeness and integrity without any shared state.
 * <pre>
 *  payload: [seq int32][checksum int32][filler: length-8 bytes]
 * </pre>
 * The length of message {@code seq} is a pure function of seq in [{@link #MIN_LENGTH}, {@link #MAX_LENGTH}];
 * the checksum covers seq, length and filler.
 */
final class CheckedMessages
{
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;
    private static final int FILLER_BLOCK = 1 << 16;
    private static final byte[] FILLER = new byte[FILLER_BLOCK + MAX_LENGTH];

    static
    {
        new Random(0x5EED).nextBytes(FILLER);
    }

    private CheckedMessages()
    {
    }

    static int lengthOf(final int seq)
    {
        final long mixed = (seq + 1L) * 0x9E3779B97F4A7C15L;
        return MIN_LENGTH + (int)((mixed >>> 40) % (MAX_LENGTH - MIN_LENGTH + 1));
    }

    static int typeOf(final int seq)
    {
        return seq & 0x7FFF;
    }

    /**
     * Write message {@code seq} (of {@link #lengthOf} bytes) at {@code offset}.
     */
    static void write(final MutableDirectBuffer buffer, final int offset, final int seq)
    {
        final int length = lengthOf(seq);
        buffer.putInt(offset, seq);
        buffer.putBytes(offset + 8, FILLER, fillerStart(seq), length - 8);
        buffer.putInt(offset + 4, checksum(buffer, offset, length));
    }

    /**
     * @return null if the message is the expected one, else what is wrong.
     */
    static String verify(final int expectedSeq, final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int seq = buffer.getInt(offset);
        if (seq != expectedSeq)
        {
            return "sequence: expected=" + expectedSeq + " actual=" + seq;
        }
        if (typeId != typeOf(seq))
        {
            return "type of seq " + seq + ": expected=" + typeOf(seq) + " actual=" + typeId;
        }
        if (length != lengthOf(seq))
        {
            return "length of seq " + seq + ": expected=" + lengthOf(seq) + " actual=" + length;
        }
        final int stored = buffer.getInt(offset + 4);
        final int actual = checksum(buffer, offset, length);
        if (stored != actual)
        {
            return "checksum of seq " + seq + ": stored=" + stored + " computed=" + actual;
        }
        return null;
    }

    private static int fillerStart(final int seq)
    {
        return (int)((seq * 7919L) & (FILLER_BLOCK - 1));
    }

    /**
     * A multiply-rotate hash over seq, length and the filler, read 8 bytes at a time.
     */
    static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = buffer.getInt(offset) * 0xC2B2AE3D27D4EB4FL + length;
        int i = 8;
        for (; i + 8 <= length; i += 8)
        {
            h = Long.rotateLeft((h ^ buffer.getLong(offset + i)) * 0x9E3779B97F4A7C15L, 29);
        }
        for (; i < length; i++)
        {
            h = Long.rotateLeft((h ^ buffer.getByte(offset + i)) * 0x9E3779B97F4A7C15L, 29);
        }
        return (int)(h ^ (h >>> 32));
    }
}
