package io.shmring.sync;

import io.shmring.sync.internal.Deadline;

/**
 * A {@link WaitStrategy} that spins for a time budget, then sleeps on the wake line's {@link Eventcount} (futex or
 * semaphore, whichever the line uses), and sizes the budget from what its sleeps cost: the default wait of the
 * rings and of {@code shm:} URIs.
 * <p>
 * Why adaptive: a fixed short spin (a hundred {@link Thread#onSpinWait()}) ends long before a peer that was asleep
 * has been woken and answered — a kernel wake takes 5–40 µs on the machines measured — so once one side of a
 * request/reply flow sleeps, both fall into sleeping on every message and pay a wake per message. Spinning for
 * longer than a wake costs keeps an active flow at spin latency; sleeping after that keeps an idle end off the CPU.
 * <p>
 * The rule, per wait: poll the condition until the budget is spent — {@value #PURE_SPINS} polls with
 * {@link Thread#onSpinWait()}, then with {@link Thread#yield()} between polls, so the peer gets a core on a machine
 * with more runnable threads than cores (no clock is read during the pure spins, where an active flow's condition
 * turns true; the budget counts from their end, and the clock is read at every yield); if still not ready, sleep on the eventcount until ready or the deadline. A sleep
 * that ended ready after less than {@link #maxSpinNanos()} means the condition came soon after the spin gave up:
 * the budget grows to twice that sleep (at most {@code maxSpinNanos}). A sleep longer than that means the other
 * side was idle (or descheduled): the budget loses an eighth (down to {@code minSpinNanos}), slowly, so a busy peer that
 * is sometimes preempted does not shrink the budget of an active flow below its wake cost. A wait that times out
 * after sleeping longer than {@code maxSpinNanos} counts as such a sleep. So an idle end spends at most one budget of CPU
 * per message it waits for, and an end that waits 10 s for nothing spends one budget, then sleeps in slices.
 * <p>
 * An idle end, whose waits have timed out back to back for a second (a consumer calling {@code take} with a timeout
 * in a loop on a quiet ring), skips the budget spin (the other side has sent nothing since the last wait gave up) and
 * sleeps in idle slices ({@link #DEFAULT_IDLE_SLICE_NANOS} by default instead of
 * {@link Eventcount#DEFAULT_SLICE_NANOS}): fewer wake-ups, each with its interrupt and mapping checks, while nothing
 * happens. A signal wakes an idle end as fast as any other; the slice only bounds how late it sees an interrupt, a
 * close by another thread, or a peer that does not signal. The first wait that ends with its condition true ends
 * the idle run. One long wait (a {@code take} with a long timeout) sleeps in idle slices too once it has slept a
 * second.
 * <p>
 * Thread-safety: give each ring end its own instance. Threads sharing one end (an MPSC producer's) may share one:
 * the budget is a plain field, a racy update only moves a heuristic, never the condition or the wake protocol.
 */
public final class AdaptiveWaitStrategy extends ConditionWaitStrategy
{
    /** Shortest spin budget by default, in ns. */
    public static final long DEFAULT_MIN_SPIN_NANOS = 10_000L;
    /** Starting spin budget by default, in ns: above the futex wake round trips measured here (11.5 and 42 µs). */
    public static final long DEFAULT_INITIAL_SPIN_NANOS = 50_000L;
    /** Longest spin budget by default, in ns: an end waiting for a message every 200 µs or less spins all the time. */
    public static final long DEFAULT_MAX_SPIN_NANOS = 200_000L;
    /** A sleep longer than the longest budget takes this fraction (1/8) off the budget. */
    static final int SHRINK_DIVISOR = 8;
    /** Polls with {@link Thread#onSpinWait()}, reading no clock, before the polls with {@link Thread#yield()}. */
    static final int PURE_SPINS = 100;
    /**
     * Longest single sleep of an idle end by default, in ns (100 ms): ten wake-ups a second while nothing happens,
     * instead of fifty; how late an idle end sees an interrupt or a close by another thread.
     */
    public static final long DEFAULT_IDLE_SLICE_NANOS = 100_000_000L;

    private final long minSpinNanos;
    private final long maxSpinNanos;
    private final QuietRun quiet;
    /**
     * Current budget, ns; read and written by the waiting thread(s) only (see the class comment). Volatile only so
     * that a long is never torn (JLS 17.7) between threads sharing the instance: a torn budget could spin to the timeout.
     */
    private volatile long spinNanos;

    /**
     * A strategy whose idle end sleeps in slices as long as the others ({@code sliceNanos} always).
     *
     * @param minSpinNanos     shortest budget, ns, {@code >= 0}.
     * @param initialSpinNanos starting budget, ns, in {@code [minSpinNanos, maxSpinNanos]}.
     * @param maxSpinNanos     longest budget, ns, {@code >= minSpinNanos}.
     * @param sliceNanos       longest single sleep, ns, {@code > 0}; bounds how late an interrupt is seen.
     * @throws IllegalArgumentException if a value is out of range (the message names it).
     */
    public AdaptiveWaitStrategy(final long minSpinNanos, final long initialSpinNanos, final long maxSpinNanos,
        final long sliceNanos)
    {
        this(minSpinNanos, initialSpinNanos, maxSpinNanos, sliceNanos, sliceNanos);
    }

    /**
     * @param minSpinNanos     shortest budget, ns, {@code >= 0}.
     * @param initialSpinNanos starting budget, ns, in {@code [minSpinNanos, maxSpinNanos]}.
     * @param maxSpinNanos     longest budget, ns, {@code >= minSpinNanos}.
     * @param sliceNanos       longest single sleep, ns, {@code > 0}; bounds how late an interrupt is seen.
     * @param idleSliceNanos   longest single sleep of an idle end (see the class comment), ns, {@code >= sliceNanos};
     *                         bounds how late an idle end sees an interrupt.
     * @throws IllegalArgumentException if a value is out of range (the message names it).
     */
    public AdaptiveWaitStrategy(final long minSpinNanos, final long initialSpinNanos, final long maxSpinNanos,
        final long sliceNanos, final long idleSliceNanos)
    {
        if (minSpinNanos < 0 || maxSpinNanos < minSpinNanos)
        {
            throw new IllegalArgumentException("need 0 <= minSpinNanos <= maxSpinNanos: minSpinNanos=" + minSpinNanos +
                " maxSpinNanos=" + maxSpinNanos);
        }
        if (initialSpinNanos < minSpinNanos || initialSpinNanos > maxSpinNanos)
        {
            throw new IllegalArgumentException("initialSpinNanos must be in [minSpinNanos, maxSpinNanos]: initialSpinNanos=" +
                initialSpinNanos + " minSpinNanos=" + minSpinNanos + " maxSpinNanos=" + maxSpinNanos);
        }
        this.quiet = new QuietRun(checkSlice(sliceNanos), idleSliceNanos);
        this.minSpinNanos = minSpinNanos;
        this.maxSpinNanos = maxSpinNanos;
        this.spinNanos = initialSpinNanos;
    }

    /**
     * @return budgets from {@link #DEFAULT_MIN_SPIN_NANOS} to {@link #DEFAULT_MAX_SPIN_NANOS}, starting at
     *         {@link #DEFAULT_INITIAL_SPIN_NANOS}; slices of {@link Eventcount#DEFAULT_SLICE_NANOS}, of
     *         {@link #DEFAULT_IDLE_SLICE_NANOS} once idle.
     */
    public static AdaptiveWaitStrategy defaults()
    {
        return new AdaptiveWaitStrategy(DEFAULT_MIN_SPIN_NANOS, DEFAULT_INITIAL_SPIN_NANOS, DEFAULT_MAX_SPIN_NANOS,
            Eventcount.DEFAULT_SLICE_NANOS, DEFAULT_IDLE_SLICE_NANOS);
    }

    /**
     * @return the current spin budget in ns (for monitoring; it moves as described in the class comment).
     */
    public long spinNanos()
    {
        return spinNanos;
    }

    /**
     * @return the longest budget, ns.
     */
    public long maxSpinNanos()
    {
        return maxSpinNanos;
    }

    /**
     * @return the shortest budget, ns.
     */
    public long minSpinNanos()
    {
        return minSpinNanos;
    }

    /**
     * @return the longest single sleep, ns.
     */
    public long sliceNanos()
    {
        return quiet.sliceNanos();
    }

    /**
     * @return the longest single sleep of an idle end, ns.
     */
    public long idleSliceNanos()
    {
        return quiet.idleSliceNanos();
    }

    /**
     * @param nowNanos a time (System.nanoTime).
     * @return true if a wait beginning then would sleep in idle slices (see the class comment).
     */
    boolean isIdle(final long nowNanos)
    {
        return quiet.isIdle(nowNanos);
    }

    @Override
    boolean awaitNotReady(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        if (spinBriefly(ready))
        {
            return true; // an active flow ends here, having read no clock
        }
        final long start = System.nanoTime();
        final long deadline = start + Math.min(timeoutNanos, Deadline.MAX_TIMEOUT_NANOS);
        if (!quiet.continues(start)) // an idle end's last wait timed out just now: nothing came since, do not spin
        {
            final long spinEnd = start + Math.min(spinNanos, timeoutNanos);
            do
            {
                // yield between polls, so that on a machine with more runnable threads than cores the peer this end
                // waits for gets a core (on an idle core a yield returns at once); a yield costs a system call, the
                // clock far less
                Thread.yield();
                if (ready.isReady())
                {
                    quiet.ended();
                    return true;
                }
            }
            while (System.nanoTime() - spinEnd < 0);
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException("adaptive wait interrupted");
        }
        final long remaining = Deadline.remaining(deadline);
        if (remaining <= 0)
        {
            return ready.isReady();
        }
        final long sleepStart = System.nanoTime();
        final boolean result = quiet.sleep(eventcount, ready, remaining, sleepStart);
        final long slept = System.nanoTime() - sleepStart;
        // ready: the budget follows what the wake cost; timed out after a sleep longer than any budget: the other side is idle
        if (result || slept >= maxSpinNanos)
        {
            adapt(slept);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Here: {@value #PURE_SPINS} polls with {@link Thread#onSpinWait()}, the first part of {@link #await}.
     */
    @Override
    public boolean spinBriefly(final WakeCondition ready)
    {
        for (int spins = 0; spins < PURE_SPINS; spins++)
        {
            Thread.onSpinWait();
            if (ready.isReady())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param sleptNanos how long a sleep that ended ready took.
     */
    private void adapt(final long sleptNanos)
    {
        if (sleptNanos < maxSpinNanos)
        {
            spinNanos = Math.min(maxSpinNanos, Math.max(spinNanos, 2 * sleptNanos)); // it came soon: spin past it
        }
        else
        {
            // the other side was idle, or descheduled: spin a little less next time; slowly, so that an active flow
            // whose peer is sometimes preempted keeps a budget above its wake cost
            spinNanos = Math.max(minSpinNanos, spinNanos - spinNanos / SHRINK_DIVISOR);
        }
    }

    @Override
    public String toString()
    {
        return "AdaptiveWaitStrategy{spinNanos=" + spinNanos + ", minSpinNanos=" + minSpinNanos + ", maxSpinNanos=" +
            maxSpinNanos + ", sliceNanos=" + quiet.sliceNanos() + ", idleSliceNanos=" + quiet.idleSliceNanos() + '}';
    }
}
