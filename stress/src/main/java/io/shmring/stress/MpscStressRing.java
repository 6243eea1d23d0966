package io.shmring.stress;

import io.shmring.ringbuffer.ClaimRecoveredException;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An MPSC ring in direct memory with its consumer, producers made on demand, and a record of what the
 * consumer delivered. Message {@code n} is sent with type id {@code n} and {@link #lengthOf(int)} payload
 * bytes of {@link MessagePattern}. JCStress builds one per trial: {@link #close()} (from an arbiter)
 * stops the producers' heartbeats so the timer does not keep every trial's ring alive.
 */
abstract class MpscStressRing
{
    /** Marks a delivery record once a torn, foreign or padding frame was delivered. */
    static final int TORN = -1;
    /** {@link #claimPattern} result when the commit was rejected. */
    static final int COMMIT_REJECTED = Integer.MIN_VALUE;
    /** Largest payload any test sends. */
    static final int MAX_PAYLOAD = 24;

    final RingFile file;
    final MpscConsumer consumer;
    private final int[] lengths;
    private int delivered;
    private int seen;

    /**
     * @param config  the ring: {@link #mpsc(int)}.
     * @param lengths payload length of message {@code n} at index {@code n}; each a multiple of 8.
     */
    MpscStressRing(final RingConfig config, final int... lengths)
    {
        this.file = RingFile.allocateDirect(config);
        this.consumer = new MpscConsumer(file);
        this.lengths = lengths;
    }

    /**
     * @param capacity data bytes, at least 64.
     * @return an MPSC ring taking {@link #MAX_PAYLOAD}-byte messages, with two producer slots (small: one per trial).
     */
    static RingConfig mpsc(final int capacity)
    {
        return RingConfig.mpsc(capacity).withMaxMessageLength(MAX_PAYLOAD).withProducerSlots(2);
    }

    final int lengthOf(final int number)
    {
        return lengths[number];
    }

    /**
     * Zero-copy send: claim, write the pattern in place, commit.
     *
     * @return the claimed index (payload start); negative if the ring was full, {@link #COMMIT_REJECTED}
     *         if the commit threw (nothing here recovers claims, so that is a broken claim protocol).
     */
    final int claimPattern(final MpscProducer producer, final int number)
    {
        final int index = producer.tryClaim(number, lengthOf(number));
        if (index < 0)
        {
            return index;
        }
        MessagePattern.fill(producer.buffer(), index, number, lengthOf(number));
        try
        {
            producer.commit(index);
        }
        catch (final ClaimRecoveredException ex)
        {
            return COMMIT_REJECTED;
        }
        return index;
    }

    /**
     * Copying send through {@code scratch}, which only the calling actor uses.
     *
     * @return true if sent.
     */
    final boolean offerPattern(final MpscProducer producer, final UnsafeBuffer scratch, final int number)
    {
        MessagePattern.fill(scratch, 0, number, lengthOf(number));
        return producer.offer(number, scratch, 0, lengthOf(number));
    }

    /**
     * Poll once, recording what is delivered.
     *
     * @return messages delivered.
     */
    final int pollRecording()
    {
        return consumer.poll(this::record, 10);
    }

    /**
     * Poll until nothing more comes; only for an arbiter, after every actor finished.
     *
     * @return the delivery record so far: message numbers as digits in delivery order, or {@link #TORN}.
     */
    final int drain()
    {
        while (pollRecording() > 0)
        {
            Thread.onSpinWait();
        }
        return seen;
    }

    /**
     * @return messages delivered whole so far.
     */
    final int delivered()
    {
        return delivered;
    }

    /**
     * @return the delivery record so far: message numbers as digits in delivery order, or {@link #TORN}.
     */
    final int seen()
    {
        return seen;
    }

    /**
     * Close the ring's producers (their heartbeats stop) and the ring.
     */
    final void close()
    {
        consumer.close();
        file.close();
    }

    private void record(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (seen == TORN || typeId >= lengths.length ||
            !MessagePattern.isIntact(typeId, buffer, offset, length, lengthOf(Math.max(typeId, 0))))
        {
            seen = TORN;
            return;
        }
        delivered++;
        seen = seen * 10 + typeId;
    }
}
