package io.shmring.core;


import io.shmring.core.internal.Backoff;
import java.util.concurrent.TimeUnit;

/**
 * The receiving end of a transport. Not thread-safe: one thread polls.
 */
public interface Subscriber extends AutoCloseable
{
    /**
     * Deliver the messages available now, without blocking.
     *
     * @param handler receives each message in place.
     * @param limit   most messages to deliver.
     * @return messages delivered.
     * @throws ClosedException  if the subscriber is closed.
     * @throws ShmringException the subclass the transport names when its source fails (a ring's role taken over or
     *                          its state corrupt, a stream's bytes not frames).
     */
    int poll(MessageHandler handler, int limit);

    /**
     * Like {@link #poll} with the handler choosing, per message, whether to consume it and go on.
     *
     * @param handler receives each message and returns an action.
     * @param limit   most messages to deliver.
     * @return messages consumed.
     * @throws ClosedException  if the subscriber is closed.
     * @throws ShmringException as {@link #poll}.
     */
    int controlledPoll(ControlledMessageHandler handler, int limit);

    /**
     * Deliver at least one message, waiting up to {@code timeout} for one to arrive.
     * <p>
     * This default polls with a back-off (spin, yield, then park up to 1 ms, allocating nothing); transports with a
     * real wakeup (futex, semaphore, a blocking socket) override it so a waiting thread sleeps
     * until the publisher signals.
     *
     * @param handler receives each message in place.
     * @param limit   most messages to deliver.
     * @param timeout how long to wait for the first message.
     * @param unit    unit of {@code timeout}.
     * @return messages delivered; 0 if the timeout passed or the stream ended.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws ClosedException      if the subscriber is closed.
     * @throws ShmringException     as {@link #poll}.
     */
    default int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        int attempt = 0;
        while (true)
        {
            final int delivered = poll(handler, limit);
            if (delivered > 0 || isEndOfStream())
            {
                return delivered;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("take interrupted");
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return 0;
            }
            Backoff.pause(attempt++);
        }
    }

    /**
     * @return true once the publishing side has closed and every message it sent has been delivered.
     */
    boolean isEndOfStream();

    /**
     * Release the subscriber's resources.
     */
    @Override
    void close();
}
