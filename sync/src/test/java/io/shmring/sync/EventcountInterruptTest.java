package io.shmring.sync;

import io.shmring.core.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thread.interrupt() ends a sleep on a Futex or Semaphore line promptly, not after the caller's long timeout.
 */
class EventcountInterruptTest
{
    private static final int LINE = 0;

    private MappedRegion region;
    private AtomicBuffer buffer;

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldEndSleepWithinHundredMillisecondsOfInterrupt(final WakeMechanism mechanism) throws Exception
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-interrupt-test", 4096);
        buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE);
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final AtomicLong endedAt = new AtomicLong();
        final Thread thread = new Thread(() ->
        {
            try
            {
                waiter.await(() -> false, TimeUnit.MINUTES.toNanos(5), Eventcount.DEFAULT_SLICE_NANOS);
                outcome.set(new AssertionError("await returned without interrupt"));
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
            endedAt.set(System.nanoTime());
        });
        thread.start();
        EventcountTest.awaitSleeping(waiter);

        final long interruptedAt = System.nanoTime();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));

        assertInstanceOf(InterruptedException.class, outcome.get());
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(endedAt.get() - interruptedAt);
        assertTrue(tookMs < 100, "took " + tookMs + " ms to see the interrupt");
        assertEquals(0, waiter.waiters(), "interrupted waiter must deregister");
        assertEquals(0, waiter.timeouts());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldThrowAtOnceWhenAlreadyInterrupted(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-interrupt-test", 4096);
        buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE);

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class,
            () -> waiter.await(() -> false, TimeUnit.MINUTES.toNanos(5), Eventcount.DEFAULT_SLICE_NANOS));

        assertEquals(0, waiter.waitCalls());
        assertEquals(0, waiter.waiters());
    }
}
