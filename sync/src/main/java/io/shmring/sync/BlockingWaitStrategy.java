package io.shmring.sync;

import io.shmring.sync.internal.Deadline;

/**
 * A {@link WaitStrategy} that spins, then yields, then sleeps on the wake line's {@link Eventcount}
 * (futex or semaphore, whichever the line uses) until the notifier wakes it. Spinning first catches
 * a condition that turns true within a few microseconds without the cost of a kernel wake-up
 * (tens of microseconds); sleeping frees the core when the other side is idle.
 * <p>
 * An idle end, whose waits have timed out back to back for a second, or one wait that has slept a second, sleeps in
 * idle slices (as
 * {@link AdaptiveWaitStrategy} does; {@link AdaptiveWaitStrategy#DEFAULT_IDLE_SLICE_NANOS} by default): fewer
 * wake-ups while nothing happens; the slice bounds how late an interrupt is seen, never how late a signal wakes it.
 */
public final class BlockingWaitStrategy extends ConditionWaitStrategy
{
    /** Spins before yielding, by default. */
    public static final int DEFAULT_SPINS = 100;
    /** Yields before sleeping, by default. */
    public static final int DEFAULT_YIELDS = 10;

    private final int spins;
    private final int yields;
    private final QuietRun quiet;

    /**
     * A strategy whose idle end sleeps in slices as long as the others ({@code sliceNanos} always).
     *
     * @param spins      polls with {@link Thread#onSpinWait()} before yielding, {@code >= 0}.
     * @param yields     polls with {@link Thread#yield()} before sleeping, {@code >= 0}.
     * @param sliceNanos longest single sleep, {@code > 0}; bounds how late an interrupt is seen.
     * @throws IllegalArgumentException if a value is out of range (the message names it).
     */
    public BlockingWaitStrategy(final int spins, final int yields, final long sliceNanos)
    {
        this(spins, yields, sliceNanos, sliceNanos);
    }

    /**
     * @param spins          polls with {@link Thread#onSpinWait()} before yielding, {@code >= 0}.
     * @param yields         polls with {@link Thread#yield()} before sleeping, {@code >= 0}.
     * @param sliceNanos     longest single sleep, {@code > 0}; bounds how late an interrupt is seen.
     * @param idleSliceNanos longest single sleep of an idle end (see the class comment), {@code >= sliceNanos}.
     * @throws IllegalArgumentException if a value is out of range (the message names it).
     */
    public BlockingWaitStrategy(final int spins, final int yields, final long sliceNanos, final long idleSliceNanos)
    {
        if (spins < 0)
        {
            throw new IllegalArgumentException("spins must not be negative: spins=" + spins);
        }
        if (yields < 0)
        {
            throw new IllegalArgumentException("yields must not be negative: yields=" + yields);
        }
        this.spins = spins;
        this.yields = yields;
        this.quiet = new QuietRun(checkSlice(sliceNanos), idleSliceNanos);
    }

    /**
     * @return {@link #DEFAULT_SPINS} spins, {@link #DEFAULT_YIELDS} yields, slices of {@link Eventcount#DEFAULT_SLICE_NANOS},
     *         of {@link AdaptiveWaitStrategy#DEFAULT_IDLE_SLICE_NANOS} once idle.
     */
    public static BlockingWaitStrategy defaults()
    {
        return new BlockingWaitStrategy(DEFAULT_SPINS, DEFAULT_YIELDS, Eventcount.DEFAULT_SLICE_NANOS,
            AdaptiveWaitStrategy.DEFAULT_IDLE_SLICE_NANOS);
    }

    /**
     * @return a strategy that sleeps at once, without spinning or yielding; slices as {@link #defaults()}.
     */
    public static BlockingWaitStrategy sleepOnly()
    {
        return new BlockingWaitStrategy(0, 0, Eventcount.DEFAULT_SLICE_NANOS, AdaptiveWaitStrategy.DEFAULT_IDLE_SLICE_NANOS);
    }

    /**
     * @return spins before yielding.
     */
    public int spins()
    {
        return spins;
    }

    /**
     * @return yields before sleeping.
     */
    public int yields()
    {
        return yields;
    }

    /**
     * @return longest single sleep in nanoseconds.
     */
    public long sliceNanos()
    {
        return quiet.sliceNanos();
    }

    /**
     * @return longest single sleep of an idle end in nanoseconds.
     */
    public long idleSliceNanos()
    {
        return quiet.idleSliceNanos();
    }

    @Override
    boolean awaitNotReady(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        if (spinBriefly(ready))
        {
            return true; // read no clock: the timeout counts from the end of the spins
        }
        final long deadline = Deadline.after(timeoutNanos);
        for (int i = 0; i < yields; i++)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("blocking wait interrupted");
            }
            if (Deadline.remaining(deadline) <= 0)
            {
                return ready.isReady();
            }
            Thread.yield();
            if (ready.isReady())
            {
                return true;
            }
        }
        final long remaining = Deadline.remaining(deadline);
        if (remaining <= 0)
        {
            return ready.isReady();
        }
        return quiet.sleep(eventcount, ready, remaining, System.nanoTime());
    }

    /**
     * {@inheritDoc}
     * <p>
     * Here: {@link #spins()} polls with {@link Thread#onSpinWait()}, the first part of {@link #await}.
     */
    @Override
    public boolean spinBriefly(final WakeCondition ready)
    {
        for (int i = 0; i < spins; i++)
        {
            Thread.onSpinWait();
            if (ready.isReady())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString()
    {
        return "BlockingWaitStrategy{spins=" + spins + ", yields=" + yields + ", sliceNanos=" + quiet.sliceNanos() + ", idleSliceNanos=" + quiet.idleSliceNanos() + '}';
    }
}
