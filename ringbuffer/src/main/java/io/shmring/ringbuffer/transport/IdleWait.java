package io.shmring.ringbuffer.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * The {@code wait=} strategies of the shm transport that need no kernel wakeup: how a blocked
 * {@code take} or timed {@code offer} passes the time between checks of the ring.
 */
enum IdleWait
{
    /** Re-check at once (a core stays busy; lowest latency). */
    SPIN("spin"),
    /** {@code Thread.yield()} between checks. */
    YIELD("yield"),
    /** Spin, then yield, then park from 1 µs doubling up to 1 ms. */
    BACKOFF("backoff");

    /** Values of {@code wait=} this build knows, including those it cannot provide yet. */
    static final List<String> ACCEPTED = List.of("spin", "yield", "backoff", "futex", "semaphore");

    private final String uriValue;

    IdleWait(final String uriValue)
    {
        this.uriValue = uriValue;
    }

    /**
     * @return a new idle strategy of this kind (each publisher or subscriber has its own).
     */
    IdleStrategy newIdleStrategy()
    {
        switch (this)
        {
            case SPIN:
                return new BusySpinIdleStrategy();
            case YIELD:
                return new YieldingIdleStrategy();
            default:
                return new BackoffIdleStrategy(64, 16, 1_000, 1_000_000);
        }
    }

    /**
     * @param value a {@code wait=} value of {@link #ACCEPTED}.
     * @return the strategy, or null if it needs the sync module (futex, semaphore).
     */
    static IdleWait fromUri(final String value)
    {
        for (final IdleWait wait : values())
        {
            if (wait.uriValue.equals(value))
            {
                return wait;
            }
        }
        return null;
    }
}
