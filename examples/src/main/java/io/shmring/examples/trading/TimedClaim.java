package io.shmring.examples.trading;

import io.shmring.core.Publisher;

import java.util.concurrent.TimeUnit;

/**
 * The demo's claims: {@link Publisher#tryClaim(int, int, long, TimeUnit)} with a timeout past which a ring still full
 * means its reader is gone. Back-pressure shorter than that is waited out; the ring file counts each claim that found
 * it full ({@code RingFile.counters().fullEvents()}), which the processes report.
 */
final class TimedClaim
{
    private TimedClaim()
    {
    }

    /**
     * @return the index of the claimed payload in the publisher's buffer.
     * @throws IllegalStateException if the ring stayed full for the whole timeout, the destination is gone, or the thread
     *                               was interrupted while waiting (its interrupt status is kept).
     */
    static int claim(final Publisher publisher, final int typeId, final int length, final long timeout, final TimeUnit unit)
    {
        try
        {
            final int index = publisher.tryClaim(typeId, length, timeout, unit);
            if (index < 0)
            {
                throw new IllegalStateException("ring full for " + unit.toMillis(timeout) + " ms, or gone: is its reader " +
                    "alive? result=" + index + " typeId=" + typeId + " length=" + length);
            }
            return index;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the ring was full: typeId=" + typeId, ex);
        }
    }
}
