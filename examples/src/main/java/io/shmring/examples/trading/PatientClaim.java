package io.shmring.examples.trading;

import io.shmring.core.Publisher;
import io.shmring.ringbuffer.RingFile;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * {@link Publisher#tryClaim} that, when the ring is full, backs off and tries again until the consumer
 * frees space, giving up after a timeout (a consumer that long behind is taken for dead). Counts how often
 * the ring was full: back-pressure the demo reports.
 */
final class PatientClaim
{
    private final Publisher publisher;
    private final IdleStrategy whenFull = new BackoffIdleStrategy();
    private final long timeoutNanos;
    private long fullCount;

    PatientClaim(final Publisher publisher, final long timeout, final TimeUnit unit)
    {
        this.publisher = publisher;
        this.timeoutNanos = unit.toNanos(timeout);
    }

    /**
     * @return the index of the claimed payload in the publisher's buffer.
     * @throws IllegalStateException if the ring stayed full for the whole timeout.
     */
    int claim(final int typeId, final int length)
    {
        int index = publisher.tryClaim(typeId, length);
        if (index >= 0)
        {
            return index;
        }
        fullCount++;
        final long deadline = System.nanoTime() + timeoutNanos;
        whenFull.reset();
        while ((index = publisher.tryClaim(typeId, length)) < 0)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("ring full for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) +
                    " ms: is its consumer alive? typeId=" + typeId + " length=" + length);
            }
            whenFull.idle();
        }
        return index;
    }

    /**
     * @return claims that found the ring full and had to wait.
     */
    long fullCount()
    {
        return fullCount;
    }

    /**
     * Wait until a consumer has attached to {@code file}, so nothing is published to nobody.
     *
     * @throws IllegalStateException if none attached within the timeout.
     */
    static void awaitConsumer(final RingFile file, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!file.consumerStatus().isHeld())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("no consumer attached within " + unit.toMillis(timeout) + " ms: path=" + file.path());
            }
            Thread.sleep(5);
        }
    }
}
