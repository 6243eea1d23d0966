package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.RingWakeups;

import java.util.concurrent.TimeUnit;

/**
 * Receives from a ring consumer with {@code take}: it spins briefly, yields, then sleeps on the ring's
 * not-empty line until the producer signals (futex or semaphore); counts come from the consumer's
 * {@link RingWakeups}.
 */
final class BlockingRingReceiver implements Receiver
{
    private static final long SLICE_MS = 100;

    private final Subscriber consumer;
    private final RingWakeups wakeups;
    private final SpinWait stall;
    private final AutoCloseable onClose;

    /**
     * @param consumer a ring consumer with a blocking wait strategy; closed with this receiver.
     * @param wakeups  its wake lines and counters.
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
        return wakeups.waitCalls();
    }

    @Override
    public long wakeCalls()
    {
        return wakeups.wakeCalls();
    }

    @Override
    public void close()
    {
        Closer.closeAll(consumer, onClose);
    }
}
