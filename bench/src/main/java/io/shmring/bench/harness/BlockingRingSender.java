package io.shmring.bench.harness;

import io.shmring.core.Publisher;
import io.shmring.ringbuffer.RingWakeups;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Sends through a ring producer whose timed offer sleeps on the ring's not-full line while the ring
 * is full (futex or semaphore); counts come from the producer's {@link RingWakeups}.
 */
final class BlockingRingSender implements Sender
{
    private static final long SLICE_MS = 100;

    private final Publisher producer;
    private final RingWakeups wakeups;
    private final SpinWait stall;
    private final AutoCloseable onClose;

    /**
     * @param producer a ring producer with a blocking wait strategy; closed with this sender.
     * @param wakeups  its wake lines and counters.
     * @param stall    stall check between timed-out slices.
     * @param onClose  run after the producer closes, or null.
     */
    BlockingRingSender(final Publisher producer, final RingWakeups wakeups, final SpinWait stall, final AutoCloseable onClose)
    {
        this.producer = producer;
        this.wakeups = wakeups;
        this.stall = stall;
        this.onClose = onClose;
    }

    @Override
    public void send(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        try
        {
            while (!producer.offer(typeId, src, offset, length, SLICE_MS, TimeUnit.MILLISECONDS))
            {
                stall.check();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", ex);
        }
        stall.reset();
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
        Closer.closeAll(producer, onClose);
    }
}
