package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;

import java.util.concurrent.TimeUnit;

/**
 * Receives from any shmring {@link Subscriber} with its {@code take}, so the subscriber's own wait runs between
 * empty polls (for {@code aeron:}, the URI's idle strategy); a stall check between timed-out slices.
 */
final class TakingSubscriberReceiver implements Receiver
{
    private static final long SLICE_MS = 100;

    private final Subscriber subscriber;
    private final SpinWait stall;

    /**
     * @param subscriber the subscriber; closed with this receiver.
     * @param stall      stall check between timed-out slices.
     */
    TakingSubscriberReceiver(final Subscriber subscriber, final SpinWait stall)
    {
        this.subscriber = subscriber;
        this.stall = stall;
    }

    @Override
    public int receive(final MessageHandler handler, final int limit)
    {
        try
        {
            int delivered;
            while ((delivered = subscriber.take(handler, limit, SLICE_MS, TimeUnit.MILLISECONDS)) == 0)
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
    public void close()
    {
        subscriber.close();
    }
}
