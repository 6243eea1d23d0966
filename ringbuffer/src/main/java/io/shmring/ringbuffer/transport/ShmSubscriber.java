package io.shmring.ringbuffer.transport;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.BroadcastStart;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.sync.WaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The {@code shm:} subscriber: the consumer (SPSC or MPSC) of a ring file, or one more consumer of a broadcast ring
 * (its poll returns {@link BroadcastConsumer#DROPPED} once if a lossless ring's publisher dropped it). {@code take} is the consumer's
 * own: it waits by the URI's {@code wait=} (polling, or asleep on the ring's not-empty wake line). Closing
 * detaches and unmaps; the file stays, so the next subscriber resumes where this one stopped, unless the URI
 * says {@code keep=false} and the ring is idle then (every message consumed, no live publisher).
 */
final class ShmSubscriber implements Subscriber
{
    private final RingFile file;
    private final Subscriber consumer;
    private final RingWakeups wakeups;
    private final boolean deleteIfIdle;

    ShmSubscriber(final RingFile file, final ShmWait wait, final boolean deleteIfIdle, final BroadcastStart start,
        final long claimTimeoutMs)
    {
        this.file = file;
        final WaitStrategy waitStrategy = wait.newWaitStrategy();
        if (file.kind() == RingKind.BROADCAST)
        {
            final BroadcastConsumer broadcast = new BroadcastConsumer(file, start, new LossLog(file.path()), waitStrategy);
            this.consumer = broadcast;
            this.wakeups = broadcast.wakeups();
        }
        else if (file.kind() == RingKind.MPSC)
        {
            final MpscConsumer mpsc = new MpscConsumer(file, claimTimeoutMs, TimeUnit.MILLISECONDS,
                waitStrategy, new LossLog(file.path()));
            this.consumer = mpsc;
            this.wakeups = mpsc.wakeups();
        }
        else
        {
            final SpscConsumer spsc = new SpscConsumer(file, waitStrategy);
            this.consumer = spsc;
            this.wakeups = spsc.wakeups();
        }
        this.deleteIfIdle = deleteIfIdle;
        if (wait.blocks())
        {
            try
            {
                wakeups.prepare(); // bind the native calls now, not in the first blocked take
            }
            catch (final RuntimeException ex)
            {
                consumer.close();
                throw ex;
            }
        }
    }

    /**
     * @return the MPSC consumer's claim timeout in ms ({@code claimTimeoutMs}), or -1 on another kind of ring.
     */
    long claimTimeoutMs()
    {
        return consumer instanceof MpscConsumer ? ((MpscConsumer)consumer).claimTimeoutMs() : -1;
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        return consumer.poll(handler, limit);
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        return consumer.controlledPoll(handler, limit);
    }

    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return consumer.take(handler, limit, timeout, unit);
    }

    @Override
    public boolean isEndOfStream()
    {
        return consumer.isEndOfStream();
    }

    /**
     * @return the consumer's wait strategy, wake lines and their wait/wake counters.
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
        if (!file.isClosed())
        {
            try
            {
                consumer.close();
                if (deleteIfIdle)
                {
                    file.deleteIfIdle();
                }
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
        return "ShmSubscriber{" + file + '}';
    }
}
