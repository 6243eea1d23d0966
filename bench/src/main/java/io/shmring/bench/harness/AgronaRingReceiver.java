package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Receives from an Agrona {@link RingBuffer} ({@code read}, in place), busy-spinning while the ring is empty; the
 * handler is adapted without allocating.
 */
final class AgronaRingReceiver implements Receiver
{
    private final RingBuffer ring;
    private final SpinWait spin;
    private final AutoCloseable onClose;
    private final org.agrona.concurrent.MessageHandler adapter = this::onMessage;
    private MessageHandler target;

    /**
     * @param ring    the ring.
     * @param spin    idle and stall check.
     * @param onClose run on close (e.g. unmap the ring's file), or null.
     */
    AgronaRingReceiver(final RingBuffer ring, final SpinWait spin, final AutoCloseable onClose)
    {
        this.ring = ring;
        this.spin = spin;
        this.onClose = onClose;
    }

    @Override
    public int receive(final MessageHandler handler, final int limit)
    {
        target = handler;
        int delivered;
        while ((delivered = ring.read(adapter, limit)) == 0)
        {
            spin.idle();
        }
        spin.reset();
        return delivered;
    }

    private void onMessage(final int typeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        target.onMessage(typeId, buffer, index, length);
    }

    @Override
    public void close()
    {
        Closer.closeAll(onClose);
    }
}
