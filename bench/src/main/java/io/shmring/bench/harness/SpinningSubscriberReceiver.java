package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;

/**
 * Receives from any shmring {@link Subscriber} by busy-polling: {@code poll}, and
 * {@link Thread#onSpinWait()} while it delivers nothing. For a stream adapter every poll is a
 * non-blocking read system call.
 */
final class SpinningSubscriberReceiver implements Receiver
{
    private final Subscriber subscriber;
    private final SpinWait spin;
    private final AutoCloseable onClose;

    /**
     * @param subscriber the subscriber; closed with this receiver.
     * @param spin       idle and stall check.
     * @param onClose    run after the subscriber closes, or null.
     */
    SpinningSubscriberReceiver(final Subscriber subscriber, final SpinWait spin, final AutoCloseable onClose)
    {
        this.subscriber = subscriber;
        this.spin = spin;
        this.onClose = onClose;
    }

    @Override
    public int receive(final MessageHandler handler, final int limit)
    {
        int delivered;
        while ((delivered = subscriber.poll(handler, limit)) == 0)
        {
            spin.idle();
        }
        spin.reset();
        return delivered;
    }

    @Override
    public void close()
    {
        Closer.closeAll(subscriber, onClose);
    }
}
