package io.shmring.sync;

/**
 * What every {@link WaitStrategy} here does first: return at once when the condition already holds, or when the
 * timeout leaves no time to wait; only then the strategy's own waiting, which reads no clock before it has polled a
 * few times (an active flow's condition turns true within those polls, and a clock read costs tens of ns, a good
 * part of a round trip between two spinning processes).
 */
abstract class ConditionWaitStrategy implements WaitStrategy
{
    @Override
    public final boolean await(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        if (ready.isReady())
        {
            return true;
        }
        if (timeoutNanos <= 0)
        {
            return false;
        }
        return awaitNotReady(ready, eventcount, timeoutNanos);
    }

    /**
     * The strategy's waiting, once the condition was found false and the timeout is positive.
     *
     * @param ready        the condition.
     * @param eventcount   the wake line.
     * @param timeoutNanos how long to wait, {@code > 0}.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    abstract boolean awaitNotReady(WakeCondition ready, Eventcount eventcount, long timeoutNanos)
        throws InterruptedException;

    /**
     * @param sliceNanos a longest single sleep.
     * @return it, if positive.
     * @throws IllegalArgumentException if it is not, naming the value.
     */
    static long checkSlice(final long sliceNanos)
    {
        if (sliceNanos <= 0)
        {
            throw new IllegalArgumentException("slice must be positive: sliceNanos=" + sliceNanos);
        }
        return sliceNanos;
    }
}
