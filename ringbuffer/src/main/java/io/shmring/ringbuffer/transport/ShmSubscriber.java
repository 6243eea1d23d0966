package io.shmring.ringbuffer.transport;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The {@code shm:} subscriber: the SPSC consumer of a ring file. {@code take} waits with the URI's idle
 * strategy. Closing detaches, unmaps and (unless the URI says {@code keep=true}) deletes the file: the
 * subscriber owns it, whoever created it.
 */
final class ShmSubscriber implements Subscriber
{
    private final RingFile file;
    private final Subscriber consumer;
    private final IdleStrategy idle;
    private final boolean deleteOnClose;

    ShmSubscriber(final RingFile file, final IdleWait wait, final boolean deleteOnClose)
    {
        this.file = file;
        this.consumer = file.kind() == RingKind.MPSC ? new MpscConsumer(file) : new SpscConsumer(file);
        this.idle = wait.newIdleStrategy();
        this.deleteOnClose = deleteOnClose;
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
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        idle.reset();
        while (true)
        {
            final int delivered = consumer.poll(handler, limit);
            if (delivered > 0 || consumer.isEndOfStream())
            {
                return delivered;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("take interrupted: " + file.path());
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return 0;
            }
            idle.idle();
        }
    }

    @Override
    public boolean isEndOfStream()
    {
        return consumer.isEndOfStream();
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
            }
            finally
            {
                file.close();
                if (deleteOnClose)
                {
                    file.delete();
                }
            }
        }
    }

    @Override
    public String toString()
    {
        return "ShmSubscriber{" + file + '}';
    }
}
