package io.shmring.ringbuffer;

import io.shmring.sync.Eventcount;

import java.util.concurrent.TimeUnit;

/**
 * Waits, in a test, until another thread is asleep on a wake line.
 */
public final class BlockingTestSupport
{
    private BlockingTestSupport()
    {
    }

    /**
     * Return once the eventcount's thread has registered and made a native sleep call, so that what the
     * test does next reaches a sleeper rather than a thread still on its way to sleep.
     */
    public static void awaitSleeping(final Eventcount eventcount) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (eventcount.waiters() == 0 || eventcount.waitCalls() == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("thread never went to sleep: " + eventcount);
            }
            Thread.sleep(1);
        }
        Thread.sleep(5); // from the call to the kernel's sleep queue takes microseconds
    }
}
