package io.shmring.ringbuffer.transport;

import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * The {@code wait=} values of the shm transport: how a blocked {@code take} or timed {@code offer} passes
 * the time. The idle ones poll the ring; {@code futex} and {@code semaphore} sleep on the ring's wake lines
 * and need a ring file whose wake mechanism is the same.
 */
enum ShmWait
{
    /** Re-check at once (a core stays busy; lowest latency). */
    SPIN("spin", null),
    /** {@code Thread.yield()} between checks. */
    YIELD("yield", null),
    /** Spin, then yield, then park from 1 µs doubling up to 1 ms. */
    BACKOFF("backoff", null),
    /** Spin, yield, then sleep on the ring's futex words until the other side signals. */
    FUTEX("futex", WakeMechanism.FUTEX),
    /** Spin, yield, then sleep on the ring's process-shared POSIX semaphores until the other side posts. */
    SEMAPHORE("semaphore", WakeMechanism.SEMAPHORE);

    /** Values of {@code wait=}. */
    static final List<String> ACCEPTED = List.of("spin", "yield", "backoff", "futex", "semaphore");

    private final String uriValue;
    private final WakeMechanism mechanism;

    ShmWait(final String uriValue, final WakeMechanism mechanism)
    {
        this.uriValue = uriValue;
        this.mechanism = mechanism;
    }

    /**
     * @return the {@code wait=} value.
     */
    String uriValue()
    {
        return uriValue;
    }

    /**
     * @return the wake mechanism the ring file must have, or null if this wait only polls (any file will do).
     */
    WakeMechanism mechanism()
    {
        return mechanism;
    }

    /**
     * @return true if this wait sleeps on the ring's wake lines.
     */
    boolean blocks()
    {
        return mechanism != null;
    }

    /**
     * @return a new wait strategy of this kind (each ring end has its own).
     */
    WaitStrategy newWaitStrategy()
    {
        switch (this)
        {
            case SPIN:
                return new IdleWaitStrategy(new BusySpinIdleStrategy());
            case YIELD:
                return new IdleWaitStrategy(new YieldingIdleStrategy());
            case BACKOFF:
                return new IdleWaitStrategy(new BackoffIdleStrategy(64, 16, 1_000, 1_000_000));
            default:
                return BlockingWaitStrategy.defaults();
        }
    }

    /**
     * @param value a {@code wait=} value of {@link #ACCEPTED}.
     * @return the wait.
     */
    static ShmWait fromUri(final String value)
    {
        for (final ShmWait wait : values())
        {
            if (wait.uriValue.equals(value))
            {
                return wait;
            }
        }
        throw new IllegalArgumentException("unknown wait: wait=" + value);
    }
}
