package io.shmring.sync;

import io.shmring.core.internal.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A waiter asks its {@link MappingCheck} after every sleep, before it touches the line again: once the check answers
 * that the memory is lost, it throws that answer and leaves its registration on the line (taking it back is an atomic
 * access to the lost memory). The wait asked for is five minutes; only a waiter that ignores the answer runs into the
 * preemptive deadline.
 */
class EventcountMappingTest
{
    private static final int LINE = 0;

    private MappedRegion region;

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    /**
     * @return memory holding a wake line at {@link #LINE}, ready for {@code mechanism} (the test is skipped if the
     *         mechanism is unavailable here).
     */
    private AtomicBuffer line(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-mapping-test", 4096);
        Eventcount.initializeLine(mechanism, region.buffer(), LINE);
        return region.buffer();
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldThrowWhatTheMappingCheckAnswersAfterASleepWithoutTouchingTheLineAgain(final WakeMechanism mechanism)
    {
        final AtomicBuffer buffer = line(mechanism);
        final IllegalStateException gone = new IllegalStateException("the line's memory is gone");
        final AtomicInteger checks = new AtomicInteger();
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE, () -> checks.incrementAndGet() >= 3 ? gone : null);

        final IllegalStateException thrown = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
            IllegalStateException.class, () -> waiter.await(() -> false, TimeUnit.MINUTES.toNanos(5), 1_000_000)));

        assertSame(gone, thrown);
        assertEquals(3, checks.get(), "asked once after each sleep, until it answered");
        assertEquals(1, waiter.waiters(), "the registration is left on the line");
    }

    /**
     * A sleep a notifier's wake ends shows the line was there a moment before: the waiter asks nothing, so the wake path
     * pays no extra system call. The slice is half a minute, so only the wake ends this sleep.
     */
    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldNotAskTheMappingCheckAfterASleepANotifierEnded(final WakeMechanism mechanism) throws Exception
    {
        final AtomicBuffer buffer = line(mechanism);
        final AtomicInteger checks = new AtomicInteger();
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE, () ->
        {
            checks.incrementAndGet();
            return null;
        });
        final Eventcount notifier = Eventcount.create(mechanism, buffer, LINE);
        final AtomicBoolean published = new AtomicBoolean();
        final CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return waiter.await(published::get, TimeUnit.MINUTES.toNanos(5), TimeUnit.SECONDS.toNanos(30));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            while (waiter.waitCalls() == 0) // handshake: the waiter is in its sleep call (or about to make it)
            {
                Thread.sleep(1);
            }
            published.set(true);
            notifier.signal();
            assertTrue(woken.get());
        });

        assertEquals(0, checks.get(), "woken by a notifier: nothing to ask");
    }

    /**
     * A wait that ends in an error may have met the lost memory first (a futex wait restarted after SIGSTOP fails with
     * EFAULT; a condition reads garbage): the waiter asks before it deregisters, and throws the answer with the error.
     */
    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldAskTheMappingCheckBeforeDeregisteringWhenTheWaitEndsInAnError(final WakeMechanism mechanism)
    {
        final AtomicBuffer buffer = line(mechanism);
        final IllegalStateException gone = new IllegalStateException("the line's memory is gone");
        final IllegalStateException garbage = new IllegalStateException("the condition read garbage");
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger evaluations = new AtomicInteger();
        final Eventcount waiter = Eventcount.create(mechanism, buffer, LINE, () -> checks.incrementAndGet() >= 2 ? gone : null);
        final WakeCondition failsAfterASleep = () ->
        {
            if (evaluations.incrementAndGet() >= 2)
            {
                throw garbage;
            }
            return false;
        };

        final IllegalStateException thrown = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
            IllegalStateException.class, () -> waiter.await(failsAfterASleep, TimeUnit.MINUTES.toNanos(5), 1_000_000)));

        assertSame(gone, thrown);
        assertSame(garbage, thrown.getSuppressed()[0]);
        assertEquals(1, waiter.waiters(), "the registration is left on the line");

        final Eventcount intact = Eventcount.create(mechanism, buffer, LINE + 128);
        Eventcount.initializeLine(mechanism, buffer, LINE + 128);
        evaluations.set(0);
        assertSame(garbage, assertThrows(IllegalStateException.class,
            () -> intact.await(failsAfterASleep, TimeUnit.MINUTES.toNanos(5), 1_000_000)));
        assertEquals(0, intact.waiters(), "with the memory intact the waiter deregisters");
    }
}
