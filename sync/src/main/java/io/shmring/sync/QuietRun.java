package io.shmring.sync;

import java.util.concurrent.TimeUnit;

/**
 * Whether a sleeping wait strategy's end is idle: its waits have timed out back to back (each beginning within a
 * slice of the last one's timeout, as a consumer calling {@code take} with a timeout in a loop does) for at least
 * {@link #IDLE_AFTER_NANOS}. An idle end sleeps in longer slices (fewer wake-ups, each with its checks, while nothing
 * happens), and skips the budget spin before its sleep (the other side has sent nothing for as long as the run).
 * Any wait that ends with its condition true ends the run.
 * <p>
 * The decision is made when a wait begins to sleep; one long wait that has slept {@link #IDLE_AFTER_NANOS} without
 * its condition grows its slices to the idle slice too (Eventcount's five-argument await), so a consumer blocked in one
 * long take is idle after a second as well.
 * <p>
 * Thread-safety: threads sharing a strategy (an MPSC producer's) share the run; the fields are volatile so that no long
 * is torn, and a racy update only chooses between the two slice lengths, never the condition or the wake protocol.
 */
final class QuietRun
{
    /** How long waits must have timed out back to back before the end counts as idle. */
    static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long sliceNanos;
    private final long idleSliceNanos;
    /** True while the last wait timed out (the run is open); false once a wait ended with its condition true. */
    private volatile boolean open;
    /** When the first sleep of the open run began (System.nanoTime). */
    private volatile long sinceNanos;
    /** When the last wait of the open run timed out (System.nanoTime). */
    private volatile long lastTimeoutNanos;

    /**
     * @param sliceNanos     longest single sleep of an end that is not idle, {@code > 0}.
     * @param idleSliceNanos longest single sleep of an idle end, {@code >= sliceNanos}.
     * @throws IllegalArgumentException if a value is out of range, naming both.
     */
    QuietRun(final long sliceNanos, final long idleSliceNanos)
    {
        if (sliceNanos <= 0 || idleSliceNanos < sliceNanos)
        {
            throw new IllegalArgumentException("need 0 < sliceNanos <= idleSliceNanos: sliceNanos=" + sliceNanos +
                " idleSliceNanos=" + idleSliceNanos);
        }
        this.sliceNanos = sliceNanos;
        this.idleSliceNanos = idleSliceNanos;
    }

    /**
     * @param nowNanos when a wait begins to sleep (System.nanoTime).
     * @return true if that wait continues the open run: the last wait timed out at most a slice before.
     */
    boolean continues(final long nowNanos)
    {
        return open && nowNanos - lastTimeoutNanos <= sliceNanos;
    }

    /**
     * @param nowNanos when a wait begins to sleep (System.nanoTime).
     * @return the longest single sleep for that wait: the idle slice if the end is idle, else the slice.
     */
    long sliceFor(final long nowNanos)
    {
        return isIdle(nowNanos) ? idleSliceNanos : sliceNanos;
    }

    /**
     * @param nowNanos when a wait begins to sleep (System.nanoTime).
     * @return true if that wait continues an open run at least {@link #IDLE_AFTER_NANOS} old.
     */
    boolean isIdle(final long nowNanos)
    {
        return continues(nowNanos) && nowNanos - sinceNanos >= IDLE_AFTER_NANOS;
    }

    /**
     * Sleep one wait of this end on {@code eventcount}, in the slices the run calls for (and, within a wait that sleeps
     * {@link #IDLE_AFTER_NANOS}, the idle slice), and record how it ended.
     *
     * @param eventcount      the line to sleep on.
     * @param ready           the wait's condition.
     * @param timeoutNanos    how long it may sleep, {@code > 0}.
     * @param sleepStartNanos when it begins to sleep (System.nanoTime): the caller's clock read, so that it can time the
     *                        sleep too.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted before or while sleeping.
     */
    boolean sleep(final Eventcount eventcount, final WakeCondition ready, final long timeoutNanos,
        final long sleepStartNanos) throws InterruptedException
    {
        final boolean result = eventcount.await(ready, timeoutNanos, sliceFor(sleepStartNanos), idleSliceNanos,
            IDLE_AFTER_NANOS); // one long wait grows its slices too
        if (result)
        {
            ended();
        }
        else
        {
            timedOut(sleepStartNanos, System.nanoTime());
        }
        return result;
    }

    /**
     * A wait that slept timed out.
     *
     * @param sleepStartNanos when it began to sleep.
     * @param nowNanos        when it timed out.
     */
    void timedOut(final long sleepStartNanos, final long nowNanos)
    {
        if (!continues(sleepStartNanos))
        {
            sinceNanos = sleepStartNanos;
        }
        lastTimeoutNanos = nowNanos;
        open = true;
    }

    /**
     * A wait ended with its condition true: the end is not idle.
     */
    void ended()
    {
        if (open)
        {
            open = false;
        }
    }

    /**
     * @return the longest single sleep of an end that is not idle, ns.
     */
    long sliceNanos()
    {
        return sliceNanos;
    }

    /**
     * @return the longest single sleep of an idle end, ns.
     */
    long idleSliceNanos()
    {
        return idleSliceNanos;
    }
}
