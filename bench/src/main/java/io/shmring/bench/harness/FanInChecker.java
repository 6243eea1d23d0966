package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * The fan-in consumer's check of every message: each producer's data messages must arrive with sequences 0, 1, 2, ...
 * (none missing, repeated or out of order; producers may interleave in any way), then its end message, whose sequence
 * is the count it sent; nothing from a producer after its end. Any other message (wrong type, size or producer index)
 * fails too. Not thread-safe.
 */
final class FanInChecker implements MessageHandler
{
    /** The message after a producer's last data message; its sequence is how many data messages it sent. */
    static final int END_TYPE_ID = 3;

    private final int producers;
    private final int size;
    private final long[] next;
    private final boolean[] ended;
    private int ends;
    private long endNs;

    /**
     * @param producers producer processes, numbered from 0.
     * @param size      payload bytes of every message.
     */
    FanInChecker(final int producers, final int size)
    {
        this.producers = producers;
        this.size = size;
        this.next = new long[producers];
        this.ended = new boolean[producers];
    }

    /**
     * @throws IllegalStateException naming the producer, what was expected and what came.
     */
    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != size || typeId != MessageLayout.DATA_TYPE_ID && typeId != END_TYPE_ID)
        {
            throw new IllegalStateException("expected a message of " + size + " B, got typeId=" + typeId + " length=" + length);
        }
        final long producer = buffer.getLong(offset + MessageLayout.PRODUCER_OFFSET);
        final long sequence = buffer.getLong(offset + MessageLayout.SEQUENCE_OFFSET);
        if (producer < 0 || producer >= producers)
        {
            throw new IllegalStateException("producer index out of 0.." + (producers - 1) + ": producer=" + producer);
        }
        final int index = (int)producer;
        if (ended[index] || sequence != next[index])
        {
            throw new IllegalStateException("producer " + index + ": expected " + (ended[index] ? "nothing after its end" :
                (typeId == END_TYPE_ID ? "its end after " : "sequence ") + next[index]) + ", got " +
                (typeId == END_TYPE_ID ? "its end after " : "sequence ") + sequence);
        }
        if (typeId == END_TYPE_ID)
        {
            ended[index] = true;
            if (++ends == producers)
            {
                endNs = System.nanoTime();
            }
            return;
        }
        next[index] = sequence + 1;
    }

    /**
     * @return true once every producer's end arrived.
     */
    boolean done()
    {
        return ends == producers;
    }

    /**
     * @return {@link System#nanoTime()} when the last end arrived, 0 before.
     */
    long endNs()
    {
        return endNs;
    }

    /**
     * @param producer a producer's index.
     * @return its data messages received so far.
     */
    long received(final int producer)
    {
        return next[producer];
    }
}
