package io.shmring.stress.soak;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of a soak message (the payload of one ring frame); integers are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Producer (int32, index 0..P-1)              |   0
 *  +---------------------------------------------------------------+
 *  |                   Incarnation (int32, unique per run)         |   4
 *  +---------------------------------------------------------------+
 *  |                   Sequence (int64, 0, 1, 2 ... per incarnation)|  8
 *  +---------------------------------------------------------------+
 *  |                   Checksum (int64)                            |  16
 *  +---------------------------------------------------------------+
 *  |                   Filler (0..max bytes, pseudo-random)       ...  24
 *  +---------------------------------------------------------------+
 * </pre>
 * The checksum covers every byte but its own: producer, incarnation, sequence, the filler and the
 * message length, so a torn, shifted, stale or overwritten message fails it. Fields sit at 8-aligned
 * offsets of the frame payload, which a ring aligns to 8.
 */
public final class SoakMessage
{
    /** Type id of every soak frame. */
    public static final int TYPE_ID = 1;

    public static final int PRODUCER_OFFSET = 0;
    public static final int INCARNATION_OFFSET = PRODUCER_OFFSET + Integer.BYTES;
    public static final int SEQUENCE_OFFSET = INCARNATION_OFFSET + Integer.BYTES;
    public static final int CHECKSUM_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    public static final int FILLER_OFFSET = CHECKSUM_OFFSET + Long.BYTES;
    /** Length of a message with no filler. */
    public static final int HEADER_LENGTH = FILLER_OFFSET;

    private static final long CHECKSUM_SEED = 0x5EED_50AC_C0DE_F00DL;
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private SoakMessage()
    {
    }

    /**
     * Write a whole message: fields, filler derived from them, checksum.
     *
     * @param buffer      where the message goes.
     * @param offset      its first byte.
     * @param producer    producer index.
     * @param incarnation incarnation number.
     * @param sequence    sequence within the incarnation.
     * @param fillerBytes filler length, {@code >= 0}.
     * @return the message length.
     */
    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int producer,
        final int incarnation,
        final long sequence,
        final int fillerBytes)
    {
        writeFields(buffer, offset, producer, incarnation, sequence);
        writeFiller(buffer, offset, producer, incarnation, sequence, fillerBytes);
        final int length = HEADER_LENGTH + fillerBytes;
        sealChecksum(buffer, offset, length);
        return length;
    }

    /**
     * Write producer, incarnation and sequence (the first half of a message written in two steps).
     */
    public static void writeFields(
        final MutableDirectBuffer buffer, final int offset, final int producer, final int incarnation, final long sequence)
    {
        buffer.putInt(offset + PRODUCER_OFFSET, producer);
        buffer.putInt(offset + INCARNATION_OFFSET, incarnation);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
    }

    /**
     * Write the filler, a pseudo-random function of the fields.
     */
    public static void writeFiller(
        final MutableDirectBuffer buffer,
        final int offset,
        final int producer,
        final int incarnation,
        final long sequence,
        final int fillerBytes)
    {
        long state = mix(mix(mix(CHECKSUM_SEED, producer), incarnation), sequence);
        final int end = offset + FILLER_OFFSET + fillerBytes;
        int i = offset + FILLER_OFFSET;
        for (; i + Long.BYTES <= end; i += Long.BYTES)
        {
            state = mix(state, i);
            buffer.putLong(i, state);
        }
        for (; i < end; i++)
        {
            buffer.putByte(i, (byte)(state >>> (8 * (i & 7))));
        }
    }

    /**
     * Compute the checksum of the message at {@code offset} and store it in its checksum field.
     */
    public static void sealChecksum(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.putLong(offset + CHECKSUM_OFFSET, checksum(buffer, offset, length));
    }

    /**
     * @param buffer holds the message.
     * @param offset its first byte.
     * @param length its length, {@code >= HEADER_LENGTH}.
     * @return the checksum of every byte but the checksum field, and of the length.
     */
    public static long checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = mix(CHECKSUM_SEED, length);
        hash = mix(hash, buffer.getLong(offset + PRODUCER_OFFSET));
        hash = mix(hash, buffer.getLong(offset + SEQUENCE_OFFSET));
        final int end = offset + length;
        int i = offset + FILLER_OFFSET;
        for (; i + Long.BYTES <= end; i += Long.BYTES)
        {
            hash = mix(hash, buffer.getLong(i));
        }
        for (; i < end; i++)
        {
            hash = mix(hash, buffer.getByte(i));
        }
        return hash;
    }

    /**
     * @return true if the stored checksum matches the message's bytes.
     */
    public static boolean isChecksumValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH && buffer.getLong(offset + CHECKSUM_OFFSET) == checksum(buffer, offset, length);
    }

    private static long mix(final long hash, final long value)
    {
        long h = (hash ^ value) * GOLDEN_GAMMA;
        h ^= h >>> 31;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return h ^ (h >>> 29);
    }
}
