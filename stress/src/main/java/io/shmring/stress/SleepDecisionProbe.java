package io.shmring.stress;

import io.shmring.sync.Eventcount;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A {@link WaitStrategy} for JCStress that takes the real path into the wake line — the ring end's
 * condition evaluated by {@link Eventcount#await} after it registered the waiter, cleared the wake-pending
 * flag and fenced — but stands in for the native sleep, which would stall a JCStress run.
 * <p>
 * The waiter's first check after registering is its decision: the condition held (go on), or it did
 * not, and the real waiter would now sleep on the line, still registered. The probe records that
 * decision and then models the sleep by staying registered until the notifier's actor reports
 * {@link #notifierDone()}, so the notifier reads the waiter count exactly as it would with a sleeper.
 * The notifier never waits for the waiter, so this cannot deadlock. One await per instance: a second
 * one returns false rather than risk a native sleep.
 */
final class SleepDecisionProbe implements WaitStrategy
{
    /** The waiter's decision: it never registered (its first attempt succeeded). */
    private static final int NOT_REGISTERED = 0;
    /** The waiter's decision: registered, and the re-check saw the condition: no sleep. */
    private static final int RECHECK_READY = 1;
    /** The waiter's decision: registered, re-checked, saw nothing: it would sleep. */
    private static final int DECIDED_TO_SLEEP = 2;

    private final WakeCondition probe = this::decide;
    private WakeCondition ready;
    private boolean awaited;
    private int decision = NOT_REGISTERED;
    private volatile boolean notifierDone;

    @Override
    public boolean await(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        if (awaited)
        {
            return false;
        }
        awaited = true;
        this.ready = ready;
        return eventcount.await(probe, timeoutNanos, Eventcount.DEFAULT_SLICE_NANOS);
    }

    /**
     * Notifier's actor, after its publication and signal returned.
     */
    void notifierDone()
    {
        notifierDone = true;
    }

    /**
     * Write the waiter's side of a wake test's result: r1 = 1 if it decided to sleep; r3 = where it saw the other side's
     * publication: 1 at its first attempt (never registered), 2 at its re-check after registering, 0 not before deciding,
     * or -1 if its blocking call did not succeed. The waiter's actor calls this after its blocking call returned.
     *
     * @param r         the test's result.
     * @param succeeded true if the blocking call did what it waited for (took its message, made its offer).
     */
    void record(final III_Result r, final boolean succeeded)
    {
        switch (decision)
        {
            case DECIDED_TO_SLEEP:
                r.r1 = 1;
                r.r3 = 0;
                break;
            case RECHECK_READY:
                r.r3 = 2;
                break;
            default:
                r.r3 = 1;
                break;
        }
        if (!succeeded)
        {
            r.r3 = -1;
        }
    }

    private boolean decide()
    {
        if (ready.isReady())
        {
            decision = RECHECK_READY;
            return true;
        }
        decision = DECIDED_TO_SLEEP;
        while (!notifierDone)
        {
            Thread.onSpinWait(); // "asleep": registered on the line until the notifier has decided whether to wake
        }
        return true; // as if woken: the caller's retry finds what the notifier published
    }
}
