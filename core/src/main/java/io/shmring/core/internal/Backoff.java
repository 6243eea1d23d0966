package io.shmring.core.internal;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import java.util.concurrent.locks.LockSupport;

/**
 * The stateless back-off behind {@link Subscriber#take} and {@link Publisher#offer}'s default waits:
 * spin, then yield, then park for a time that doubles up to 1 ms. The caller keeps the attempt count,
 * so a wait allocates nothing.
 */
public final class Backoff
{
    private static final int SPINS = 64;
    private static final int YIELDS = SPINS + 16;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private Backoff()
    {
    }

    /**
     * @param attempt how many times the caller has waited so far in this wait, from 0.
     */
    public static void pause(final int attempt)
    {
        if (attempt < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (attempt < YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(Math.min(MAX_PARK_NS, MIN_PARK_NS << Math.min(10, attempt - YIELDS)));
        }
    }
}
