package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.sync.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The {@code shm:} publisher: the ring kind's producer (SPSC or MPSC) over a ring file it owns the mapping of.
 * A timed offer or claim is the producer's own: it waits for space by the URI's {@code wait=} (polling, or asleep
 * on the ring's not-full wake line). Closing detaches the producer (the subscriber sees the end of the stream)
 * and unmaps the file; a publisher never deletes the file.
 */
final class ShmPublisher implements Publisher
{
    private final RingFile file;
    private final Publisher producer;
    private final RingWakeups wakeups;

    ShmPublisher(final RingFile file, final ShmWait wait)
    {
        this.file = file;
        final WaitStrategy waitStrategy = wait.newWaitStrategy();
        if (file.kind() == RingKind.BROADCAST)
        {
            final BroadcastProducer broadcast = new BroadcastProducer(file, waitStrategy);
            this.producer = broadcast;
            this.wakeups = broadcast.wakeups();
        }
        else if (file.kind() == RingKind.MPSC)
        {
            final MpscProducer mpsc = new MpscProducer(file, waitStrategy);
            this.producer = mpsc;
            this.wakeups = mpsc.wakeups();
        }
        else
        {
            final SpscProducer spsc = new SpscProducer(file, waitStrategy);
            this.producer = spsc;
            this.wakeups = spsc.wakeups();
        }
        if (wait.blocks())
        {
            try
            {
                wakeups.prepare(); // bind the native calls now, not in the first blocked offer
            }
            catch (final RuntimeException ex)
            {
                producer.close();
                throw ex;
            }
        }
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
        return producer.offer(typeId, src, offset, length, timeout, unit);
    }

    @Override
    public int tryClaim(final int typeId, final int length)
    {
        return producer.tryClaim(typeId, length);
    }

    @Override
    public int tryClaim(final int typeId, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return producer.tryClaim(typeId, length, timeout, unit);
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
     * @return the producer's wait strategy, wake lines and their wait/wake counters.
     */
    RingWakeups wakeups()
    {
        return wakeups;
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
        closeWith(producer::close);
    }

    /**
     * {@inheritDoc}
     * <p>
     * The producer releases its role without ending the stream (docs/LAYOUT.md 5.8); the file is closed.
     */
    @Override
    public void closeBrokenOff()
    {
        closeWith(producer::closeBrokenOff);
    }

    private void closeWith(final Runnable closeProducer)
    {
        if (!file.isClosed())
        {
            try
            {
                closeProducer.run();
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
