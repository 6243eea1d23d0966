package io.shmring.ringbuffer.transport;

import io.shmring.sync.AdaptiveWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * The {@code wait=} values of the shm transport: how a blocked {@code take} or timed {@code offer} passes
 * the time. The idle ones poll the ring; {@code adaptive} (the default), {@code futex} and {@code semaphore} spin
 * for a while, then sleep on the ring's wake lines; the last two also need a ring file of that wake mechanism.
 */
enum ShmWait
{
    /** Re-check at once (a core stays busy; lowest latency). */
    SPIN("spin", null),
    /** {@code Thread.yield()} between checks. */
    YIELD("yield", null),
    /** Spin, then yield, then park from 1 µs doubling up to 1 ms. */
    BACKOFF("backoff", null),
    /**
     * The default: spin for a budget sized to what a wake costs, then sleep on the ring's wake lines in whatever
     * mechanism the file has ({@link AdaptiveWaitStrategy}).
     */
    ADAPTIVE("adaptive", null),
    /** As {@link #ADAPTIVE}, on a ring whose wake mechanism must be futex (a new ring is made so). */
    FUTEX("futex", WakeMechanism.FUTEX),
    /** As {@link #ADAPTIVE}, on a ring whose wake mechanism must be process-shared POSIX semaphores. */
    SEMAPHORE("semaphore", WakeMechanism.SEMAPHORE);

    /** Values of {@code wait=}. */
    static final List<String> ACCEPTED = List.of("spin", "yield", "backoff", "adaptive", "futex", "semaphore");

    /** The wait a URI without {@code wait=} gets. */
    static final ShmWait DEFAULT = ADAPTIVE;

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
     * @return the wake mechanism the ring file must have, or null if any will do (this wait only polls, or sleeps
     *         in the file's own mechanism).
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
        return mechanism != null || this == ADAPTIVE;
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
                return AdaptiveWaitStrategy.defaults();
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
