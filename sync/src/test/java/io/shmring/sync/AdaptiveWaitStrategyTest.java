package io.shmring.sync;

import io.shmring.core.internal.MappedRegion;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The adaptive wait: spins, then sleeps on the eventcount and is woken by a signal; an idle wait leaves the CPU; the
 * budget shrinks by an eighth after a sleep that outlasted the longest budget and always stays within its bounds.
 */
class AdaptiveWaitStrategyTest
{
    private static final int LINE = 0;
    private static final int FLAG_OFFSET = 2 * WakeLineDescriptor.LENGTH;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Slices longer than any test: once asleep, only a signal ends the wait. */
    private static final long LONG_SLICE_NANOS = MINUTE_NANOS;

    private MappedRegion region;
    private AtomicBuffer buffer;

    private Eventcount setUp(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("adaptive-wait-test", 4096);
        buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE);
        return Eventcount.create(mechanism, buffer, LINE);
    }

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    private boolean flagSet()
    {
        return buffer.getIntVolatile(FLAG_OFFSET) != 0; // volatile: the condition a waiter must read with acquire
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldSleepAfterItsSpinAndBeWokenByTheSignalThatMakesItReady(final WakeMechanism mechanism) throws Exception
    {
        final Eventcount line = setUp(mechanism);
        final AdaptiveWaitStrategy strategy = new AdaptiveWaitStrategy(1_000, 1_000, 200_000, LONG_SLICE_NANOS);
        try (Background<Boolean> waiter = Background.start("adaptive-waiter",
            () -> strategy.await(this::flagSet, line, MINUTE_NANOS), line::signal))
        {
            Sleepers.awaitSleeping(line); // it spun, registered and made a native sleep call
            assertFalse(waiter.isDone(), "returned although nothing was set");
            buffer.putIntRelease(FLAG_OFFSET, 1); // release: the publication the signal follows
            line.signal();
            assertTrue(waiter.get(60), "the wait ended without its condition");
        }
        assertEquals(0, line.expiredWaits(), "only the signal ended the sleep: " + line);
        assertTrue(strategy.spinNanos() >= strategy.minSpinNanos() && strategy.spinNanos() <= strategy.maxSpinNanos(),
            strategy::toString);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldShrinkItsBudgetByAnEighthAfterASleepLongerThanTheLongestBudget(final WakeMechanism mechanism) throws Exception
    {
        final Eventcount line = setUp(mechanism);
        final AdaptiveWaitStrategy strategy = new AdaptiveWaitStrategy(1_000, 100_000, 200_000, LONG_SLICE_NANOS);
        try (Background<Boolean> waiter = Background.start("adaptive-waiter",
            () -> strategy.await(this::flagSet, line, MINUTE_NANOS), line::signal))
        {
            Sleepers.awaitSleeping(line);
            Thread.sleep(50); // the sleep now lasts at least 50 ms, far beyond the 200 µs longest budget
            buffer.putIntRelease(FLAG_OFFSET, 1); // release: the publication the signal follows
            line.signal();
            assertTrue(waiter.get(60));
        }
        assertEquals(87_500, strategy.spinNanos(), "an idle peer takes an eighth off the budget: " + strategy);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldShrinkItsBudgetByAnEighthAfterAWaitThatTimedOutAsleep(final WakeMechanism mechanism) throws Exception
    {
        final Eventcount line = setUp(mechanism);
        final AdaptiveWaitStrategy strategy = new AdaptiveWaitStrategy(1_000, 100_000, 200_000, LONG_SLICE_NANOS);

        assertFalse(strategy.await(this::flagSet, line, TimeUnit.SECONDS.toNanos(1)), "nothing was set");

        // the wait slept for most of its second, far beyond the 200 µs longest budget: the other side is idle
        assertEquals(87_500, strategy.spinNanos(), "a wait that timed out asleep takes an eighth off: " + strategy);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldStillBeWokenByTheSignalOnceIdle(final WakeMechanism mechanism) throws Exception
    {
        final Eventcount line = setUp(mechanism);
        // idle slices of a minute: once idle, only the signal can end the wait below
        final AdaptiveWaitStrategy strategy = new AdaptiveWaitStrategy(1_000, 1_000, 200_000,
            Eventcount.DEFAULT_SLICE_NANOS, LONG_SLICE_NANOS);
        final long idleAt = System.nanoTime() + QuietRun.IDLE_AFTER_NANOS;
        while (System.nanoTime() - idleAt < 0 || !strategy.isIdle(System.nanoTime()))
        {
            // waits that time out back to back, as a consumer's take with a timeout in a loop on a quiet ring
            assertFalse(strategy.await(this::flagSet, line, TimeUnit.MILLISECONDS.toNanos(100)), "nothing was set");
            assertTrue(System.nanoTime() - idleAt < MINUTE_NANOS, "never idle within a minute: " + strategy);
        }
        final long expiredBefore = line.expiredWaits();
        try (Background<Boolean> waiter = Background.start("idle-waiter",
            () -> strategy.await(this::flagSet, line, MINUTE_NANOS), line::signal))
        {
            Sleepers.awaitSleeping(line);
            buffer.putIntRelease(FLAG_OFFSET, 1); // release: the publication the signal follows
            line.signal();
            assertTrue(waiter.get(60), "the wait ended without its condition");
        }
        assertEquals(expiredBefore, line.expiredWaits(), "only the signal ended the idle sleep: " + line);
        assertFalse(strategy.isIdle(System.nanoTime()), "a wait that ended ready ends the idle run");
    }

    @Test
    void shouldLeaveTheCpuWhileNothingArrives() throws Exception
    {
        final Eventcount line = setUp(WakeMechanism.FUTEX);
        final AdaptiveWaitStrategy strategy = AdaptiveWaitStrategy.defaults();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "no thread CPU time here");
        final long waitNanos = TimeUnit.SECONDS.toNanos(2);
        line.prepare(); // binding the native library first costs CPU that is no part of waiting
        final long cpuBefore = threads.getCurrentThreadCpuTime();
        assertFalse(strategy.await(this::flagSet, line, waitNanos), "nothing was set");
        final long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
        System.out.printf("adaptive wait of 2 s with nothing arriving used %.3f ms of CPU%n", cpuNanos / 1e6);
        // a spin of at most 200 µs, then sleeps in 20 ms slices: a strategy that kept spinning would use about 2 s
        assertTrue(cpuNanos < waitNanos / 4, () -> "CPU " + cpuNanos + " ns in a 2 s idle wait: " + strategy);
    }

    @Test
    void shouldRejectBudgetsOutOfOrder()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new AdaptiveWaitStrategy(10, 5, 100, 1_000));
        assertTrue(ex.getMessage().contains("initialSpinNanos=5"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveWaitStrategy(100, 100, 10, 1_000));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveWaitStrategy(0, 0, 0, 0));
    }
}
