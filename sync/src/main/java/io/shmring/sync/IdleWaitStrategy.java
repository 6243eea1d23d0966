package io.shmring.sync;

import io.shmring.sync.internal.Deadline;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * A {@link WaitStrategy} that polls the condition, idling between polls with an Agrona
 * {@link IdleStrategy} (busy spin, yield, back-off, or any other). It never registers on the wake
 * line, so the other side never makes a wake call for it: the lowest latency, at the price of a
 * core (or of the back-off's park time). Checks the interrupt status and the deadline between polls: with a busy
 * spin or no-op idle, every {@value #POLLS_PER_CLOCK_READ} polls, first after that many (reading the clock at every
 * poll would add its cost, tens of ns, to every hand-over); with any other idle strategy, which may park, at every poll.
 */
public final class IdleWaitStrategy extends ConditionWaitStrategy
{
    /**
     * Polls between two clock reads, and before the first one, when {@code idle()} returns at once: {@value} polls
     * take well under a microsecond, so a deadline is overrun by that at most.
     */
    static final int POLLS_PER_CLOCK_READ = 16;

    private final IdleStrategy idleStrategy;
    /** {@link #POLLS_PER_CLOCK_READ} for a strategy whose idle() returns at once, else 1. */
    private final int pollsPerClockRead;

    /**
     * @param idleStrategy what to do between polls; used by one thread only.
     */
    public IdleWaitStrategy(final IdleStrategy idleStrategy)
    {
        if (idleStrategy == null)
        {
            throw new NullPointerException("idleStrategy");
        }
        this.idleStrategy = idleStrategy;
        this.pollsPerClockRead = idleStrategy instanceof BusySpinIdleStrategy || idleStrategy instanceof NoOpIdleStrategy ?
            POLLS_PER_CLOCK_READ : 1;
    }

    /**
     * @return a strategy that spins on the condition ({@link Thread#onSpinWait()} between polls).
     */
    public static IdleWaitStrategy busySpin()
    {
        return new IdleWaitStrategy(new BusySpinIdleStrategy());
    }

    /**
     * @return a strategy that yields the CPU between polls.
     */
    public static IdleWaitStrategy yielding()
    {
        return new IdleWaitStrategy(new YieldingIdleStrategy());
    }

    /**
     * @return Agrona's default back-off: a few spins, a few yields, then parks from 1 µs doubling to 1 ms.
     */
    public static IdleWaitStrategy backoff()
    {
        return new IdleWaitStrategy(new BackoffIdleStrategy());
    }

    /**
     * @return the Agrona idle strategy used between polls.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    @Override
    boolean awaitNotReady(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        if (spinBriefly(ready))
        {
            return true; // read no clock: the timeout counts from the end of these first polls
        }
        final long deadline = Deadline.after(timeoutNanos);
        idleStrategy.reset();
        for (int polls = 1; ; polls++)
        {
            idleStrategy.idle();
            if (ready.isReady())
            {
                return true;
            }
            if (polls % pollsPerClockRead == 0)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("polling wait interrupted");
                }
                if (Deadline.remaining(deadline) <= 0)
                {
                    return ready.isReady();
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Here: with a busy spin or no-op idle, {@value #POLLS_PER_CLOCK_READ} polls with {@code idle()} between them;
     * with an idle strategy that may park, one check.
     */
    @Override
    public boolean spinBriefly(final WakeCondition ready)
    {
        if (pollsPerClockRead == 1)
        {
            return ready.isReady();
        }
        idleStrategy.reset();
        for (int polls = 0; polls < pollsPerClockRead; polls++)
        {
            idleStrategy.idle();
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
        return "IdleWaitStrategy{" + idleStrategy.alias() + '}';
    }
}
