package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The {@code shm:} publisher: the ring kind's producer (SPSC or MPSC) over a ring file it owns the mapping of. A timed offer
 * waits for space with the URI's idle strategy. Closing detaches the producer (the subscriber sees the
 * end of the stream) and unmaps the file; a publisher never deletes the file.
 */
final class ShmPublisher implements Publisher
{
    private final RingFile file;
    private final Publisher producer;
    private final IdleStrategy idle;

    ShmPublisher(final RingFile file, final IdleWait wait)
    {
        this.file = file;
        this.producer = file.kind() == RingKind.MPSC ? new MpscProducer(file) : new SpscProducer(file);
        this.idle = wait.newIdleStrategy();
    }

    @Override
    public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        return producer.offer(typeId, src, offset, length);
    }

    @Override
    public boolean offer(
        final int typeId, final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        idle.reset();
        while (!producer.offer(typeId, src, offset, length))
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("offer interrupted: " + file.path());
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    @Override
    public int tryClaim(final int typeId, final int length)
    {
        return producer.tryClaim(typeId, length);
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return producer.buffer();
    }

    @Override
    public void commit(final int index)
    {
        producer.commit(index);
    }

    @Override
    public void abort(final int index)
    {
        producer.abort(index);
    }

    @Override
    public int maxMessageLength()
    {
        return producer.maxMessageLength();
    }

    /**
     * @return the ring file.
     */
    RingFile file()
    {
        return file;
    }

    @Override
    public void close()
    {
        if (!file.isClosed())
        {
            try
            {
                producer.close();
            }
            finally
            {
                file.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "ShmPublisher{" + file + '}';
    }
}
