package io.shmring.stress;

import io.shmring.ringbuffer.ClaimRecoveredException;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingFrames;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.ringbuffer.StalledClaim;
import io.shmring.sync.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

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
    /** Marks a delivery record once the consumer found the ring corrupt ({@link #pollOrMarkCorrupt()}). */
    static final int CORRUPT = -2;
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
        this(config, RingWakeups.defaultWaitStrategy(), lengths);
    }

    /**
     * @param config        the ring: {@link #mpsc(int)}.
     * @param consumerWaits how the consumer's {@code take} waits (a {@link SleepDecisionProbe} in the wake tests).
     * @param lengths       payload length of message {@code n} at index {@code n}; each a multiple of 8.
     */
    MpscStressRing(final RingConfig config, final WaitStrategy consumerWaits, final int... lengths)
    {
        this.file = RingFile.allocateDirect(config);
        this.consumer = new MpscConsumer(file, consumerWaits);
        this.lengths = lengths;
    }

    /**
     * @param capacity data bytes, at least 64.
     * @return an MPSC ring taking {@link #MAX_PAYLOAD}-byte messages, with two producer slots (small: one per trial).
     */
    static RingConfig mpsc(final int capacity)
    {
        return RingConfig.mpsc(capacity).withMaxMessageLength(MAX_PAYLOAD).withProducerSlots(2)
            .withWakeProtocol(WakeModes.RING_PROTOCOL);
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
     * The consumer's blocking take, recording what it delivers.
     *
     * @param timeoutSeconds how long it may wait (a {@link SleepDecisionProbe} stands in for its sleep).
     * @return messages delivered.
     */
    final int takeRecording(final long timeoutSeconds)
    {
        try
        {
            return consumer.take(this::record, 10, timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("JCStress actor interrupted", ex);
        }
    }

    /**
     * Poll once, recording what is delivered; a {@link CorruptRingException} marks the record {@link #CORRUPT} instead of
     * propagating (for tests whose broken protocol shows as a ring the consumer refuses: every later poll fails too).
     *
     * @return messages delivered.
     */
    final int pollOrMarkCorrupt()
    {
        try
        {
            return pollRecording();
        }
        catch (final CorruptRingException corrupt)
        {
            seen = CORRUPT;
            return 0;
        }
    }

    /**
     * {@link #drain()} through {@link #pollOrMarkCorrupt()}; only for an arbiter, after every actor finished.
     *
     * @return the delivery record: message numbers as digits in delivery order, {@link #TORN} or {@link #CORRUPT}.
     */
    final int drainOrMarkCorrupt()
    {
        while (pollOrMarkCorrupt() > 0)
        {
            Thread.onSpinWait();
        }
        return seen;
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
     * Setup: recover a stalled producer's range with {@code unblock()} (docs/LAYOUT.md 5.7 case b: padding, and the
     * producer's reservation revoked) and consume the padding, so the producer's late header writes land one lap on.
     *
     * @param stalled a producer stalled after its tail CAS, its range at the head.
     * @throws IllegalStateException if the range was not recovered and consumed.
     */
    final void recoverAndConsume(final StalledClaim stalled)
    {
        if (!consumer.unblock() || drain() < 0 || consumer.position() <= stalled.tail())
        {
            throw new IllegalStateException("setup: the stalled range was not recovered and consumed: head=" + consumer.position());
        }
    }

    /**
     * Resume a stalled producer: its header CASes, the end of its reservation, and the withdrawal if it was revoked.
     *
     * @return 0 if it gave its range up, 1 if it kept a claim, 3 if it found the ring corrupt.
     */
    static int resume(final StalledClaim stalled)
    {
        try
        {
            return stalled.finish() < 0 ? 0 : 1;
        }
        catch (final CorruptRingException corrupt)
        {
            return 3;
        }
    }

    /**
     * The consumer recovers the range or claim blocking the head without judging its owner ({@code unblock()}), then polls.
     *
     * @return 1 if it recovered something, 0 if not, 3 if it found the ring corrupt.
     */
    final int unblockAndPoll()
    {
        try
        {
            final int recovered = consumer.unblock() ? 1 : 0;
            pollRecording();
            return recovered;
        }
        catch (final CorruptRingException corrupt)
        {
            seen = CORRUPT;
            return 3;
        }
    }

    /**
     * @return true if the consumer's head is at the tail and the ring passes the attach check (docs/LAYOUT.md 5.9: no zero
     *         header below the tail that no slot covers, positions and slots in range).
     */
    final boolean drainedAndConsistent()
    {
        return consumer.isEmpty() && RingFrames.checkConsistent(file) == null;
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
        if (seen < 0 || typeId >= lengths.length ||
            !MessagePattern.isIntact(typeId, buffer, offset, length, lengthOf(Math.max(typeId, 0))))
        {
            seen = seen == CORRUPT ? CORRUPT : TORN;
            return;
        }
        delivered++;
        seen = seen * 10 + typeId;
    }
}
