package io.shmring.bench.harness;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Sends through an Agrona {@link RingBuffer} ({@code write}, which copies), busy-spinning while the ring is full.
 */
final class AgronaRingSender implements Sender
{
    private final RingBuffer ring;
    private final SpinWait spin;
    private final AutoCloseable onClose;

    /**
     * @param ring    the ring.
     * @param spin    idle and stall check.
     * @param onClose run on close (e.g. unmap the ring's file), or null.
     */
    AgronaRingSender(final RingBuffer ring, final SpinWait spin, final AutoCloseable onClose)
    {
        this.ring = ring;
        this.spin = spin;
        this.onClose = onClose;
    }

    @Override
    public void send(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        while (!ring.write(typeId, src, offset, length))
        {
            spin.idle();
        }
        spin.reset();
    }

    @Override
    public void close()
    {
        Closer.closeAll(onClose);
    }
}
