package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.Eventcount;
import io.shmring.sync.Sleepers;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thread.interrupt() ends a take or a timed offer blocked on a Futex or Semaphore wake line with an
 * InterruptedException, although the caller asked to wait minutes. How soon (about one 20 ms slice on an
 * idle machine) is the scheduler's business, so it is printed; the test requires only that the call ends
 * within a deadline that only a hang reaches, far below its own five minutes. A ring kind is a subclass
 * giving {@link #config(int)}.
 */
abstract class AbstractRingInterruptTest
{
    private static final long FIVE_MINUTES = 5;

    private RingFile file;

    abstract RingConfig config(int capacity);

    @AfterEach
    void tearDown()
    {
        TestRings.closeAndDelete(file);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldEndTakeBlockedOnEmptyRingWithInterruptedException(final WakeMechanism mechanism)
        throws Exception
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        file = RingFile.create(TestRings.uniquePath("interrupt-test"), config(4096).withWakeMechanism(mechanism));
        try (Subscriber consumer = RingEndpoints.subscriber(file, BlockingWaitStrategy.defaults()))
        {
            assertInterruptEndsWait(
                () -> consumer.take((typeId, buffer, offset, length) -> { }, 1, FIVE_MINUTES, TimeUnit.MINUTES),
                RingEndpoints.wakeups(consumer).notEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldEndOfferBlockedOnFullRingWithInterruptedException(final WakeMechanism mechanism)
        throws Exception
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        file = RingFile.create(TestRings.uniquePath("interrupt-test"), config(4096).withWakeMechanism(mechanism));
        try (Publisher producer = RingEndpoints.publisher(file, BlockingWaitStrategy.defaults()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
            while (producer.offer(1, message, 0, message.capacity()))
            {
                // fill the ring: nobody consumes
            }
            assertInterruptEndsWait(
                () -> producer.offer(1, message, 0, message.capacity(), FIVE_MINUTES, TimeUnit.MINUTES),
                RingEndpoints.wakeups(producer).notFull());
        }
    }

    private static void assertInterruptEndsWait(final Callable<?> blockingCall, final Eventcount line)
        throws InterruptedException
    {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final AtomicLong endedAt = new AtomicLong();
        final Thread thread = new Thread(() ->
        {
            try
            {
                outcome.set(blockingCall.call());
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
            endedAt.set(System.nanoTime());
        });
        thread.start();
        Sleepers.awaitSleeping(line);

        final long interruptedAt = System.nanoTime();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(60)); // a hang-only deadline, far below the call's five minutes

        assertFalse(thread.isAlive(), "the interrupt did not end the call within 60 s: " + line);
        assertInstanceOf(InterruptedException.class, outcome.get());
        System.out.println("interrupt seen after " + TimeUnit.NANOSECONDS.toMicros(endedAt.get() - interruptedAt) +
            " us: " + line);
        assertEquals(0, line.waiters(), "an interrupted waiter must deregister");
        assertEquals(0, line.timeouts());
    }
}
