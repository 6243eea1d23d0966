package io.shmring.sync;

import io.shmring.core.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The eventcount protocol with both mechanisms (Futex and Semaphore), threads in one process.
 */
class EventcountTest
{
    private static final int LINE_A = 0;
    private static final int LINE_B = WakeLineDescriptor.LENGTH;
    private static final int PING_OFFSET = 2 * WakeLineDescriptor.LENGTH;
    private static final int PONG_OFFSET = 3 * WakeLineDescriptor.LENGTH;
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private MappedRegion region;
    private AtomicBuffer buffer;

    private void setUp(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-test", 4096);
        buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE_A);
        Eventcount.initializeLine(mechanism, buffer, LINE_B);
    }

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldMakeNoWakeCallWhenNobodyWaits(final WakeMechanism mechanism)
    {
        setUp(mechanism);
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE_A);

        for (int i = 0; i < 10_000; i++)
        {
            notifier.signal();
        }

        assertEquals(0, notifier.wakeCalls());
        assertEquals(0, notifier.sequence());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldReturnAtOnceWithoutSleepingWhenConditionHolds(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A);

        assertTrue(waiter.await(() -> true, TEN_SECONDS, Eventcount.DEFAULT_SLICE_NANOS));

        assertEquals(0, waiter.waitCalls());
        assertEquals(0, waiter.waiters());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldReturnFalseAndCountTimeoutWhenConditionNeverHolds(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A);
        final long start = System.nanoTime();

        assertFalse(waiter.await(() -> false, TimeUnit.MILLISECONDS.toNanos(30), TimeUnit.MILLISECONDS.toNanos(10)));

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
        assertEquals(1, waiter.timeouts());
        // it slept (a count of slices would depend on the scheduler; EventcountInterruptTest shows the slicing)
        assertTrue(waiter.waitCalls() >= 1, waiter.toString());
        assertTrue(waiter.expiredWaits() >= 1, "nobody signalled, so sleeps end by expiry: " + waiter);
        assertEquals(0, waiter.readyAfterExpiry());
        assertEquals(0, waiter.waiters(), "waiter must deregister");
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeSleepingWaiterWhenConditionIsSignalled(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE_A);
        final CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> awaitUnchecked(
            waiter, () -> buffer.getIntAcquire(PING_OFFSET) == 1, TEN_SECONDS));
        awaitSleeping(waiter);

        buffer.putIntRelease(PING_OFFSET, 1); // release: the condition's state
        notifier.signal();

        assertTrue(result.get(10, TimeUnit.SECONDS));
        assertEquals(1, notifier.wakeCalls());
        assertTrue(waiter.wokenWaits() >= 1, waiter.toString());
        assertEquals(0, waiter.readyAfterExpiry());
        assertEquals(0, waiter.timeouts());
        assertEquals(0, waiter.waiters());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldLoseNoWakeupInThreadPingPong(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final int rounds = 20_000;
        final Eventcount pingWaiter = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount pingNotifier = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount pongWaiter = Eventcount.create(mechanism, buffer, LINE_B);
        final Eventcount pongNotifier = Eventcount.create(mechanism, buffer, LINE_B);
        final AtomicInteger expected = new AtomicInteger();
        final CompletableFuture<Void> echo = CompletableFuture.runAsync(() ->
        {
            for (int i = 1; i <= rounds; i++)
            {
                expected.set(i);
                if (!awaitUnchecked(pingWaiter, () -> buffer.getIntAcquire(PING_OFFSET) == expected.get(), TEN_SECONDS))
                {
                    throw new AssertionError("echo timed out at round " + i);
                }
                buffer.putIntRelease(PONG_OFFSET, i); // release: publish the reply
                pongNotifier.signal();
            }
        });

        for (int i = 1; i <= rounds; i++)
        {
            buffer.putIntRelease(PING_OFFSET, i); // release: publish the request
            pingNotifier.signal();
            final int round = i;
            assertTrue(pongWaiter.await(() -> buffer.getIntAcquire(PONG_OFFSET) == round, TEN_SECONDS,
                Eventcount.DEFAULT_SLICE_NANOS), "timed out at round " + i);
        }
        echo.get(10, TimeUnit.SECONDS);

        assertEquals(0, pingWaiter.readyAfterExpiry(), pingWaiter.toString());
        assertEquals(0, pongWaiter.readyAfterExpiry(), pongWaiter.toString());
        assertEquals(0, pingWaiter.timeouts() + pongWaiter.timeouts());
        assertTrue(pingWaiter.wokenWaits() + pongWaiter.wokenWaits() > 0, "nobody slept: " + pingWaiter + " " + pongWaiter);
    }

    static boolean awaitUnchecked(final Eventcount eventcount, final WakeCondition ready, final long timeoutNanos)
    {
        try
        {
            return eventcount.await(ready, timeoutNanos, Eventcount.DEFAULT_SLICE_NANOS);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Wait until the waiter has registered and made a native sleep call, so the wake under test reaches a sleeper.
     */
    static void awaitSleeping(final Eventcount waiter) throws InterruptedException, ExecutionException
    {
        final long deadline = System.nanoTime() + TEN_SECONDS;
        while (waiter.waiters() == 0 || waiter.waitCalls() == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("waiter never went to sleep: " + waiter);
            }
            Thread.sleep(1);
        }
        Thread.sleep(5); // from the call to the kernel's sleep queue takes microseconds
    }
}
