package io.shmring.sync;

import io.shmring.sync.internal.Deadline;

/**
 * A {@link WaitStrategy} that spins, then yields, then sleeps on the wake line's {@link Eventcount}
 * (futex or semaphore, whichever the line uses) until the notifier wakes it. Spinning first catches
 * a condition that turns true within a few microseconds without the cost of a kernel wake-up
 * (tens of microseconds); sleeping frees the core when the other side is idle.
 */
public final class BlockingWaitStrategy extends ConditionWaitStrategy
{
    /** Spins before yielding, by default. */
    public static final int DEFAULT_SPINS = 100;
    /** Yields before sleeping, by default. */
    public static final int DEFAULT_YIELDS = 10;

    private final int spins;
    private final int yields;
    private final long sliceNanos;

    /**
     * @param spins      polls with {@link Thread#onSpinWait()} before yielding, {@code >= 0}.
     * @param yields     polls with {@link Thread#yield()} before sleeping, {@code >= 0}.
     * @param sliceNanos longest single sleep, {@code > 0}; bounds how late an interrupt is seen.
     */
    public BlockingWaitStrategy(final int spins, final int yields, final long sliceNanos)
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
        this.sliceNanos = checkSlice(sliceNanos);
    }

    /**
     * @return {@link #DEFAULT_SPINS} spins, {@link #DEFAULT_YIELDS} yields, slices of {@link Eventcount#DEFAULT_SLICE_NANOS}.
     */
    public static BlockingWaitStrategy defaults()
    {
        return new BlockingWaitStrategy(DEFAULT_SPINS, DEFAULT_YIELDS, Eventcount.DEFAULT_SLICE_NANOS);
    }

    /**
     * @return a strategy that sleeps at once, without spinning or yielding.
     */
    public static BlockingWaitStrategy sleepOnly()
    {
        return new BlockingWaitStrategy(0, 0, Eventcount.DEFAULT_SLICE_NANOS);
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
        return sliceNanos;
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
        return eventcount.await(ready, remaining, sliceNanos);
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
        return "BlockingWaitStrategy{spins=" + spins + ", yields=" + yields + ", sliceNanos=" + sliceNanos + '}';
    }
}
