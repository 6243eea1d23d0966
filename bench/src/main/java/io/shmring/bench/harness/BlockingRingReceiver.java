package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.RingWakeups;

import java.util.concurrent.TimeUnit;

/**
 * Receives from a subscriber with {@code take}, so the subscriber's own wait runs between empty polls: a ring
 * consumer spins briefly, yields, then sleeps on the ring's not-empty line until the producer signals (futex or
 * semaphore), with counts from its {@link RingWakeups}; an {@code aeron:} subscriber idles by its URI's
 * {@code wait}. A stall check runs between timed-out slices.
 */
final class BlockingRingReceiver implements Receiver
{
    private static final long SLICE_MS = 100;

    private final Subscriber consumer;
    private final RingWakeups wakeups;
    private final SpinWait stall;
    private final AutoCloseable onClose;

    /**
     * @param consumer a ring consumer with a blocking wait strategy, or any subscriber; closed with this receiver.
     * @param wakeups  a ring consumer's wake lines and counters, or null (wait and wake calls then count 0).
     * @param stall    stall check between timed-out slices.
     * @param onClose  run after the consumer closes, or null.
     */
    BlockingRingReceiver(final Subscriber consumer, final RingWakeups wakeups, final SpinWait stall, final AutoCloseable onClose)
    {
        this.consumer = consumer;
        this.wakeups = wakeups;
        this.stall = stall;
        this.onClose = onClose;
    }

    @Override
    public int receive(final MessageHandler handler, final int limit)
    {
        try
        {
            int delivered;
            while ((delivered = consumer.take(handler, limit, SLICE_MS, TimeUnit.MILLISECONDS)) == 0)
            {
                stall.check();
            }
            stall.reset();
            return delivered;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while receiving", ex);
        }
    }

    @Override
    public long waitCalls()
    {
        return wakeups == null ? 0 : wakeups.waitCalls();
    }

    @Override
    public long wakeCalls()
    {
        return wakeups == null ? 0 : wakeups.wakeCalls();
    }

    @Override
    public void close()
    {
        Closer.closeAll(consumer, onClose);
    }
}
