package io.shmring.sync;

import java.util.concurrent.TimeUnit;

/**
 * Waits, in a test, until another thread has gone to sleep on a wake line.
 */
public final class Sleepers
{
    private Sleepers()
    {
    }

    /**
     * Return once the eventcount's thread has registered, found its condition false and made a native
     * sleep call. From then on it leaves its wait only through a notifier's signal, its slice ending, or
     * an interrupt; with a slice longer than the test, only the first two that the test causes. (Whether
     * the kernel has queued it yet or will see the sequence already moved does not matter: both are the
     * wake path and count as woken.) Polls every millisecond; a hang fails after 60 s.
     *
     * @throws AssertionError if that does not happen within 60 s.
     */
    public static void awaitSleeping(final Eventcount eventcount) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (eventcount.waiters() == 0 || eventcount.waitCalls() == 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("thread never went to sleep: " + eventcount);
            }
            Thread.sleep(1);
        }
    }
}
