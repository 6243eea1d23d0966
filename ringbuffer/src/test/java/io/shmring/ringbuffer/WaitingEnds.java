package io.shmring.ringbuffer;

import io.shmring.sync.internal.WakeLineDescriptor;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A ring end asleep in a blocking call on another thread, for tests that break shared state under it: start the call,
 * wait (by a handshake, the waiter count in the file) until it sleeps on its wake line, then see how the call ends.
 */
final class WaitingEnds
{
    /** Longer than any check needs, shorter than the minute the waiting calls are given: exceeded only by a call that waits it out. */
    static final Duration WITHIN = Duration.ofSeconds(30);
    /** How long the waiting calls wait, in seconds. */
    static final long WAIT_S = 60;

    private WaitingEnds()
    {
    }

    /**
     * @param call a blocking call of a ring end.
     * @return it, running on another thread.
     */
    static <T> CompletableFuture<T> inBackground(final Callable<T> call)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return call.call();
            }
            catch (final Exception ex)
            {
                throw new CompletionException(ex);
            }
        });
    }

    /**
     * Wait until a thread is registered to sleep on a wake line (the waiter count in the file).
     *
     * @param file       the ring.
     * @param lineOffset the line's file offset.
     */
    static void awaitSleeper(final RingFile file, final int lineOffset)
    {
        assertTimeoutPreemptively(WITHIN, () ->
        {
            while (file.buffer().getIntVolatile(lineOffset + WakeLineDescriptor.WAITERS_OFFSET) == 0)
            {
                Thread.sleep(1);
            }
        });
    }

    /**
     * @param waiting a call started by {@link #inBackground}.
     * @return the corruption it ended with, within {@link #WITHIN}.
     */
    static CorruptRingException corruption(final CompletableFuture<?> waiting)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> assertTimeoutPreemptively(WITHIN, () -> waiting.get()));
        return assertInstanceOf(CorruptRingException.class, failed.getCause());
    }
}
