package io.shmring.sync;

import io.shmring.sync.internal.Deadline;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * A {@link WaitStrategy} that polls the condition, idling between polls with an Agrona
 * {@link IdleStrategy} (busy spin, yield, back-off, or any other). It never registers on the wake
 * line, so the other side never makes a wake call for it: the lowest latency, at the price of a
 * core (or of the back-off's park time). Checks the interrupt status and the deadline between polls.
 */
public final class IdleWaitStrategy implements WaitStrategy
{
    private final IdleStrategy idleStrategy;

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
    public boolean await(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
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
        final long deadline = Deadline.after(timeoutNanos);
        idleStrategy.reset();
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("polling wait interrupted");
            }
            if (Deadline.remaining(deadline) <= 0)
            {
                return ready.isReady();
            }
            idleStrategy.idle();
            if (ready.isReady())
            {
                return true;
            }
        }
    }

    @Override
    public String toString()
    {
        return "IdleWaitStrategy{" + idleStrategy.alias() + '}';
    }
}
