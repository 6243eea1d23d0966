package io.shmring.sync;

import io.shmring.sync.internal.PosixSemaphore;
import io.shmring.sync.internal.WakeLineDescriptor;
import io.shmring.core.internal.MappedRegion;
import io.shmring.sync.internal.Membarrier;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

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
    private static final int PING_OFFSET = 2 * WakeLineDescriptor.LENGTH;
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private MappedRegion region;
    private AtomicBuffer buffer;

    private void setUp(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-test", 4096);
        buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE_A);
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

    /**
     * A semaphore line whose count someone set to SEM_VALUE_MAX: sem_post fails with EOVERFLOW. The notifier's
     * publication went through, and every sleep on that semaphore returns at once, so the signal must not throw (it
     * did: a consumer's take failed after delivering, and every later one, with "sem_post failed: errno=75").
     */
    @Test
    void shouldSignalWithoutErrorWhenSemaphoreIsSaturated() throws Exception
    {
        setUp(WakeMechanism.SEMAPHORE);
        final int semaphoreOffset = LINE_A + WakeLineDescriptor.SEMAPHORE_OFFSET;
        buffer.putIntVolatile(semaphoreOffset, Integer.MAX_VALUE); // glibc: the count is the first 32-bit word
        final PosixSemaphore semaphore = new PosixSemaphore(buffer, semaphoreOffset);
        assumeTrue(semaphore.value() == Integer.MAX_VALUE, "not glibc's semaphore layout: cannot saturate it by a store");
        buffer.putIntVolatile(LINE_A + WakeLineDescriptor.WAITERS_OFFSET, 1); // a registered waiter (or a leaked one)
        final Eventcount notifier = Eventcount.create(WakeMechanism.SEMAPHORE, buffer, LINE_A);

        assertTrue(notifier.signal(), "the wake call is made, and ends without posting");
        assertEquals(Integer.MAX_VALUE, semaphore.value());

        buffer.putIntVolatile(LINE_A + WakeLineDescriptor.WAITERS_OFFSET, 0);
        final Eventcount waiter = Eventcount.create(WakeMechanism.SEMAPHORE, buffer, LINE_A);
        assertFalse(waiter.await(() -> false, TimeUnit.MILLISECONDS.toNanos(20), Eventcount.DEFAULT_SLICE_NANOS),
            "a waiter on the saturated semaphore times out normally (its sleeps return at once)");
        assertEquals(0, waiter.waiters());
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
        waiter.prepare();
        final long start = System.nanoTime();

        assertFalse(waiter.await(() -> false, TimeUnit.MILLISECONDS.toNanos(30), TimeUnit.MILLISECONDS.toNanos(10)));

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "returned before its timeout");
        assertEquals(1, waiter.timeouts());
        assertEquals(0, waiter.readyAfterExpiry());
        assertEquals(0, waiter.waiters(), "waiter must deregister");
        // How many slices it slept depends on the scheduler (a thread preempted for the whole 30 ms sleeps none):
        // printed; EventcountInterruptTest shows that a long wait sleeps and is sliced.
        System.out.println(mechanism + " 30 ms timeout in 10 ms slices: " + waiter);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeSleepingWaiterWhenConditionIsSignalled(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE_A);
        // slices longer than the test: once asleep, the waiter can leave only by the signal
        try (Background<Boolean> result = Background.start("eventcount-waiter", () -> waiter.await(
            () -> buffer.getIntAcquire(PING_OFFSET) == 1, TimeUnit.SECONDS.toNanos(60), LostWakeupJudge.SLICE_NANOS),
            () -> Eventcount.create(mechanism, buffer, LINE_A).signal()))
        {
            Sleepers.awaitSleeping(waiter);

            buffer.putIntRelease(PING_OFFSET, 1); // release: the condition's state
            notifier.signal();

            assertTrue(result.get(60)); // only a hang takes this long
        }
        assertEquals(1, notifier.wakeCalls());
        assertEquals(1, notifier.sequence());
        assertTrue(waiter.wokenWaits() >= 1, waiter.toString());
        assertEquals(0, waiter.expiredWaits(), waiter.toString());
        assertEquals(0, waiter.timeouts());
        assertEquals(0, waiter.waiters());
    }

    /**
     * One long wait sleeps in 1 ms slices for its first 20 ms, then in slices longer than the test: a slice only ends
     * by its timeout (never early), so at most 21 can expire, however slow the machine; without the growth a 1 ms slice
     * would expire every millisecond of the 300 ms observed. The signal still wakes the waiter in its long slice.
     */
    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldGrowTheSliceOfOneLongWaitAndStillWakeAtTheSignal(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE_A);
        final long slice = TimeUnit.MILLISECONDS.toNanos(1);
        final long idleAfter = TimeUnit.MILLISECONDS.toNanos(20);
        try (Background<Boolean> result = Background.start("eventcount-idle-waiter", () -> waiter.await(
            () -> buffer.getIntAcquire(PING_OFFSET) == 1, TimeUnit.SECONDS.toNanos(60), slice, LostWakeupJudge.SLICE_NANOS,
            idleAfter), () -> Eventcount.create(mechanism, buffer, LINE_A).signal()))
        {
            Sleepers.awaitSleeping(waiter);
            Thread.sleep(300); // the observed window: a waiter whose slices never grew expires one a millisecond

            buffer.putIntRelease(PING_OFFSET, 1); // release: the condition's state
            notifier.signal();

            assertTrue(result.get(60)); // only a hang takes this long
        }
        assertTrue(waiter.expiredWaits() <= idleAfter / slice + 1, waiter.toString());
        assertEquals(0, waiter.timeouts());
        assertEquals(0, waiter.waiters());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeSleepingWaiterWhenAnAtomicUpdatePublishedWithoutFence(final WakeMechanism mechanism) throws Exception
    {
        setUp(mechanism);
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE_A); // a fenced line: the waiter only fences
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE_A);
        waiter.prepare();
        notifier.prepare();
        try (Background<Boolean> result = Background.start("eventcount-waiter", () -> waiter.await(
            () -> buffer.getIntVolatile(PING_OFFSET) == 1, TimeUnit.SECONDS.toNanos(60), LostWakeupJudge.SLICE_NANOS),
            () -> Eventcount.create(mechanism, buffer, LINE_A).signal()))
        {
            Sleepers.awaitSleeping(waiter);

            assertTrue(buffer.compareAndSetInt(PING_OFFSET, 0, 1)); // CAS: the publication, a full barrier of its own
            assertTrue(notifier.signalAfterAtomicUpdate());

            assertTrue(result.get(60)); // only a hang takes this long (the slice is 30 s)
        }
        assertEquals(1, notifier.wakeCalls());
        assertTrue(waiter.wokenWaits() >= 1, waiter.toString());
        assertEquals(0, waiter.expiredWaits(), waiter.toString());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldRunTheModeTheLineProtocolAndThisProcessAllow(final WakeMechanism mechanism)
    {
        setUp(mechanism);
        assertEquals(Eventcount.Mode.FENCED, Eventcount.create(mechanism, buffer, LINE_A).mode());
        final Eventcount.Mode expected = Membarrier.isRegistered() ? Eventcount.Mode.MEMBARRIER : Eventcount.Mode.FENCED_POLLING;
        assertEquals(expected, Eventcount.create(mechanism, buffer, LINE_A, MappingCheck.ALWAYS_MAPPED, WakeProtocol.MEMBARRIER).mode());
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldLoseNoWakeupInThreadPingPong(final WakeMechanism mechanism) throws Exception
    {
        pingPong(mechanism, WakeProtocol.FENCED);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldLoseNoWakeupInThreadPingPongWhereNotifiersSkipTheirFence(final WakeMechanism mechanism) throws Exception
    {
        assumeTrue(Membarrier.isRegistered(), "membarrier unavailable here: " + Membarrier.unavailableReason());
        pingPong(mechanism, WakeProtocol.MEMBARRIER);
    }

    private void pingPong(final WakeMechanism mechanism, final WakeProtocol protocol) throws Exception
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-test", EventcountPingPong.REGION_LENGTH);
        EventcountPingPong.initialize(mechanism, region.buffer());
        final int rounds = 20_000;
        final EventcountPingPong.Side requester;
        final EventcountPingPong.Side echoed;
        try (Background<EventcountPingPong.Side> echo = Background.start("eventcount-echo",
            () -> EventcountPingPong.echo(mechanism, protocol, region.buffer(), rounds),
            () -> Eventcount.create(mechanism, region.buffer(), EventcountPingPong.LINE_A).signal()))
        {
            try
            {
                requester = EventcountPingPong.request(mechanism, protocol, region.buffer(), rounds);
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(ex.getMessage() + " | echo: " + echo.outcome(), ex);
            }
            echoed = echo.get(60); // only a hang takes this long
        }

        final Eventcount.Mode mode = protocol == WakeProtocol.FENCED ? Eventcount.Mode.FENCED : Eventcount.Mode.MEMBARRIER;
        assertEquals(mode, requester.waiter().mode(), requester.waiter().toString());
        assertEquals(mode, requester.notifier().mode(), requester.notifier().toString());
        System.out.println(mechanism + " " + protocol + " thread eventcount ping-pong, " + rounds + " rounds: requester " +
            requester.stats() + " | echo " + echoed.stats());
        // Round 1 went through the wake path both ways (each notifier waited for its peer to be asleep).
        assertTrue(requester.notifier().wakeCalls() >= 1, requester.notifier().toString());
        assertTrue(echoed.waiter().wokenWaits() >= 1, echoed.waiter().toString());
        assertTrue(echoed.notifier().wakeCalls() >= 1, echoed.notifier().toString());
        assertTrue(requester.waiter().wokenWaits() >= 1, requester.waiter().toString());
        assertEquals(0, requester.waiter().timeouts() + echoed.waiter().timeouts());
    }
}
