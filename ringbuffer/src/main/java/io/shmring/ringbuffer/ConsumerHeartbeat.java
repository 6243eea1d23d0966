package io.shmring.ringbuffer;

import org.agrona.concurrent.AtomicBuffer;

import static io.shmring.ringbuffer.RingDescriptor.CONSUMER_HEARTBEAT_OFFSET;

/**
 * Writes the consumer's heartbeat (epoch ms) into the control block so producers can tell a live
 * consumer from a dead one. An idle poll writes it (time costs nothing then); a busy consumer
 * writes it every {@link #BUSY_POLLS_PER_BEAT} polls, so the hot path reads the clock rarely.
 */
final class ConsumerHeartbeat
{
    /** Busy polls between heartbeats; a power of 2. */
    static final int BUSY_POLLS_PER_BEAT = 64;

    private final AtomicBuffer control;
    private int busyPolls;
    private long lastBeatMs;

    ConsumerHeartbeat(final AtomicBuffer control)
    {
        this.control = control;
    }

    /**
     * @return the time now (epoch ms), read for the beat.
     */
    long idle()
    {
        return beat();
    }

    void busy()
    {
        if ((++busyPolls & (BUSY_POLLS_PER_BEAT - 1)) == 0)
        {
            beat();
        }
    }

    /**
     * @return the time now (epoch ms), read for the beat.
     */
    long beat()
    {
        final long now = System.currentTimeMillis();
        if (now != lastBeatMs)
        {
            lastBeatMs = now;
            control.putLongOpaque(CONSUMER_HEARTBEAT_OFFSET, now); // opaque: watchers need a recent value, not ordering
        }
        return now;
    }
}
