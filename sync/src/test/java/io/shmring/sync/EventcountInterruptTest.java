package io.shmring.sync;

import io.shmring.core.internal.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thread.interrupt() ends a sleep on a Futex or Semaphore line, although the caller asked to wait minutes:
 * the wait is sliced, and the interrupt status is checked between slices. How soon after the interrupt it
 * ended (about a 20 ms slice on an idle machine) depends on the scheduler, so it is printed; the test only
 * requires it to end well before the wait's own five minutes.
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
    void shouldEndSleepWithInterruptedExceptionLongBeforeItsTimeout(final WakeMechanism mechanism) throws Exception
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
        Sleepers.awaitSleeping(waiter);

        final long interruptedAt = System.nanoTime();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(60)); // a hang-only deadline, far below the wait's five minutes

        assertFalse(thread.isAlive(), "the interrupt did not end the wait within 60 s: " + waiter);
        assertInstanceOf(InterruptedException.class, outcome.get());
        System.out.println(mechanism + " interrupt seen after " +
            TimeUnit.NANOSECONDS.toMicros(endedAt.get() - interruptedAt) + " us (slices of 20 ms): " + waiter);
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
