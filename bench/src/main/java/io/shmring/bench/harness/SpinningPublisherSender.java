package io.shmring.bench.harness;

import io.shmring.core.Publisher;
import org.agrona.DirectBuffer;

/**
 * Sends through any shmring {@link Publisher} (a ring, or a stream adapter), busy-spinning while the
 * plain {@code offer} says no room (or, for a stream, not connected yet).
 */
final class SpinningPublisherSender implements Sender
{
    private final Publisher publisher;
    private final SpinWait spin;
    private final AutoCloseable onClose;

    /**
     * @param publisher the publisher; closed with this sender.
     * @param spin      idle and stall check.
     * @param onClose   run after the publisher closes (e.g. unmap the ring), or null.
     */
    SpinningPublisherSender(final Publisher publisher, final SpinWait spin, final AutoCloseable onClose)
    {
        this.publisher = publisher;
        this.spin = spin;
        this.onClose = onClose;
    }

    @Override
    public void send(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        while (!publisher.offer(typeId, src, offset, length))
        {
            spin.idle();
        }
        spin.reset();
    }

    @Override
    public void flush()
    {
        publisher.flush();
    }

    @Override
    public void close()
    {
        Closer.closeAll(publisher, onClose);
    }
}
