package io.shmring.ringbuffer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The message cross-process tests send: producer id, sequence and a checksum of both, so the
 * consumer can tell loss, duplication, reordering and torn payloads apart.
 */
final class TestMessages
{
    static final int TYPE_ID = 7;
    static final int PRODUCER_ID_OFFSET = 0;
    static final int SEQUENCE_OFFSET = PRODUCER_ID_OFFSET + Integer.BYTES;
    static final int CHECKSUM_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    static final int LENGTH = CHECKSUM_OFFSET + Long.BYTES;

    private TestMessages()
    {
    }

    static long checksum(final int producerId, final long sequence)
    {
        long x = sequence * 0x9E3779B97F4A7C15L + producerId;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 29);
    }

    static void write(final MutableDirectBuffer buffer, final int offset, final int producerId, final long sequence)
    {
        buffer.putInt(offset + PRODUCER_ID_OFFSET, producerId);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putLong(offset + CHECKSUM_OFFSET, checksum(producerId, sequence));
    }

    /**
     * Checks per-producer order: every message must carry the next sequence of its producer.
     */
    static final class Verifier
    {
        private final long[] next;
        private long received;

        Verifier(final int producers)
        {
            next = new long[producers];
        }

        void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (typeId != TYPE_ID || length != LENGTH)
            {
                throw new AssertionError("unexpected message: typeId=" + typeId + " length=" + length);
            }
            final int producerId = buffer.getInt(offset + PRODUCER_ID_OFFSET);
            final long sequence = buffer.getLong(offset + SEQUENCE_OFFSET);
            final long checksum = buffer.getLong(offset + CHECKSUM_OFFSET);
            if (producerId < 0 || producerId >= next.length)
            {
                throw new AssertionError("unknown producer: producerId=" + producerId);
            }
            if (checksum != checksum(producerId, sequence))
            {
                throw new AssertionError("torn message: producerId=" + producerId + " sequence=" + sequence);
            }
            if (sequence != next[producerId])
            {
                throw new AssertionError("out of order, lost or duplicated: producerId=" + producerId +
                    " sequence=" + sequence + " expected=" + next[producerId]);
            }
            next[producerId]++;
            received++;
        }

        long next(final int producerId)
        {
            return next[producerId];
        }

        long received()
        {
            return received;
        }
    }
}
