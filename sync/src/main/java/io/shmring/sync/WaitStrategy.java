package io.shmring.sync;

/**
 * How a blocked ring end (a consumer in {@code take}, a producer in a timed {@code offer}) waits for
 * its condition. Implementations hold per-thread state: give each ring end its own instance.
 *
 * @see IdleWaitStrategy polling strategies (busy spin, yield, back-off) that never sleep on the line
 * @see BlockingWaitStrategy spin, then yield, then sleep on the line's {@link Eventcount}
 */
public interface WaitStrategy
{
    /**
     * Wait until {@code ready} holds, the timeout passes, or the thread is interrupted.
     *
     * @param ready        the condition.
     * @param eventcount   the wake line the notifier signals; strategies that only poll ignore it.
     * @param timeoutNanos how long to wait; 0 or less checks once.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    boolean await(WakeCondition ready, Eventcount eventcount, long timeoutNanos) throws InterruptedException;

    /**
     * Poll {@code ready} a bounded number of times (this strategy's first polls, at most a few microseconds) without
     * reading a clock, yielding or sleeping: the path of an active flow, whose condition turns true within them. A
     * caller tries this before it reads the clock for a deadline and calls {@link #await}. The default checks once.
     *
     * @param ready the condition.
     * @return true if the condition holds.
     */
    default boolean spinBriefly(final WakeCondition ready)
    {
        return ready.isReady();
    }
}
