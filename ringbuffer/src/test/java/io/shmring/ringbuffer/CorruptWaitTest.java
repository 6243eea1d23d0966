package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.internal.WakeLineDescriptor;
import io.shmring.sync.WakeMechanism;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.CorruptRings.head;
import static io.shmring.ringbuffer.CorruptRings.payload;
import static io.shmring.ringbuffer.CorruptRings.send;
import static io.shmring.ringbuffer.CorruptRings.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Waits whatever shared memory says (issue 13, case 2): every wait honours its deadline, a head or tail out of range
 * is a {@link CorruptRingException} rather than a spin or a wild claim, and a waiter count in the file cannot make a
 * notifier post without end. The generous preemptive timeouts only catch a real hang.
 */
class CorruptWaitTest
{
    private static final Duration HANG = Duration.ofSeconds(30);

    private RingFile file;

    @AfterEach
    void cleanUp()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldRefuseSpscConsumerWhoseHeadIsAboveTheTailInsteadOfSpinningInTake()
    {
        file = CorruptRings.create("wait-spsc-head", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file))
        {
            send(producer, "one");
            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, 64); // above the tail (16)

            assertTimeoutPreemptively(HANG, () ->
            {
                final CorruptRingException ex = assertThrows(CorruptRingException.class, () ->
                {
                    try (SpscConsumer consumer = new SpscConsumer(file))
                    {
                        consumer.take(new CorruptRings.Received(), 1, 300, TimeUnit.MILLISECONDS);
                    }
                });
                assertEquals("tail", ex.field());
            });
            assertEquals(64, head(file));
            assertEquals(16, tail(file));
        }
    }

    @Test
    void shouldEndTakeAtItsDeadlineWhenTheConditionHoldsButPollDeliversNothing()
    {
        file = RingFile.allocateDirect(RingConfig.spsc(4096));
        final RingWakeups wakeups = new RingWakeups(file, RingWakeups.defaultWaitStrategy());
        final Subscriber deliversNothing = new NothingSubscriber();

        final int delivered = assertTimeoutPreemptively(HANG,
            () -> wakeups.take(deliversNothing, () -> true, new CorruptRings.Received(), 1, 200, TimeUnit.MILLISECONDS));
        assertEquals(0, delivered);
    }

    @Test
    void shouldEndTimedOfferAtItsDeadlineWhenTheConditionHoldsButOfferFails()
    {
        file = RingFile.allocateDirect(RingConfig.spsc(4096));
        final RingWakeups wakeups = new RingWakeups(file, RingWakeups.defaultWaitStrategy());
        final Publisher neverTakes = new RefusingPublisher();

        final boolean sent = assertTimeoutPreemptively(HANG,
            () -> wakeups.offer(neverTakes, () -> true, 1, payload("x"), 0, 1, 200, TimeUnit.MILLISECONDS));
        assertFalse(sent);
    }

    @Test
    void shouldSeeAnInterruptWhileTheConditionHoldsButPollDeliversNothing()
    {
        file = RingFile.allocateDirect(RingConfig.spsc(4096));
        final RingWakeups wakeups = new RingWakeups(file, RingWakeups.defaultWaitStrategy());

        assertTimeoutPreemptively(HANG, () ->
        {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () ->
                wakeups.take(new NothingSubscriber(), () -> true, new CorruptRings.Received(), 1, 1, TimeUnit.DAYS));
        });
    }

    @Test
    void shouldRefuseSpscClaimWhenTheHeadIsAboveTheTail()
    {
        file = CorruptRings.create("wait-spsc-claim", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file))
        {
            final UnsafeBuffer payload = payload("x".repeat(50));
            while (producer.offer(1, payload, 0, payload.capacity()))
            {
                // fill the ring: the next offer must read the head
            }
            final long tailWhenFull = tail(file);
            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, tailWhenFull + 4096);

            final CorruptRingException ex =
                assertThrows(CorruptRingException.class, () -> producer.offer(1, payload, 0, payload.capacity()));
            assertEquals("tail", ex.field(), ex.getMessage());
            assertEquals(tailWhenFull, tail(file), "nothing was written over unconsumed frames");
            assertThrows(CorruptRingException.class,
                () -> producer.offer(1, payload, 0, payload.capacity(), 200, TimeUnit.MILLISECONDS));
            assertEquals(tailWhenFull, tail(file));
        }
    }

    @Test
    void shouldRefuseMpscSendOnARingWhoseHeadIsTwoToTheFortyWithoutMovingTheTail()
    {
        file = CorruptRings.create("wait-mpsc-head", RingConfig.mpsc(4096));
        try (MpscConsumer consumer = new MpscConsumer(file); MpscProducer first = new MpscProducer(file))
        {
            send(first, "one", "two");
            consumer.poll(new CorruptRings.Received(), 10);
            consumer.close();
            final long tailBefore = tail(file);
            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, 1L << 40);

            assertTimeoutPreemptively(HANG, () ->
            {
                assertThrows(CorruptRingException.class, () ->
                {
                    try (MpscProducer producer = new MpscProducer(file))
                    {
                        final UnsafeBuffer payload = payload("y".repeat(100));
                        for (int i = 0; i < 1_000; i++)
                        {
                            producer.offer(1, payload, 0, payload.capacity(), 100, TimeUnit.MILLISECONDS);
                        }
                    }
                });
                assertThrows(CorruptRingException.class, () ->
                {
                    final UnsafeBuffer payload = payload("z".repeat(100));
                    for (int i = 0; i < 1_000; i++)
                    {
                        first.offer(1, payload, 0, payload.capacity(), 100, TimeUnit.MILLISECONDS);
                    }
                });
            });
            assertTrue(tail(file) - tailBefore <= 4096, "the tail moved at most one ring: " + (tail(file) - tailBefore));
            assertEquals(1L << 40, head(file));
        }
    }

    @Test
    void shouldPostABoundedNumberOfTimesWhateverTheWaiterCountSays()
    {
        file = CorruptRings.create("wait-sem-waiters", RingConfig.spsc(4096).withWakeMechanism(WakeMechanism.SEMAPHORE));
        try (SpscProducer producer = new SpscProducer(file))
        {
            file.buffer().putIntVolatile(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET, Integer.MAX_VALUE);

            assertTimeoutPreemptively(HANG, () -> send(producer, "one"));
            final long posts = producer.wakeups().notEmpty().wakeCalls();
            assertTrue(posts >= 1 && posts <= 64, "posts=" + posts);
        }
    }

    /**
     * Breaker 11: a negative waiter count (written over, or a leak's underflow) made a semaphore notifier post
     * {@code min(w, 64)} = no times, while a futex notifier wakes whenever the count is not 0: sleepers woke only at the
     * end of their slices. It posts once now.
     */
    @Test
    void shouldPostOnceWhenTheWaiterCountIsNegative()
    {
        file = CorruptRings.create("wait-sem-negative", RingConfig.spsc(4096).withWakeMechanism(WakeMechanism.SEMAPHORE));
        try (SpscProducer producer = new SpscProducer(file))
        {
            file.buffer().putIntVolatile(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET, -5);

            assertTimeoutPreemptively(HANG, () -> send(producer, "one"));
            assertEquals(1, producer.wakeups().notEmpty().wakeCalls());
            assertEquals(1, file.buffer().getIntVolatile(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.SEMAPHORE_OFFSET),
                "one post (glibc: the count is the first 32-bit word)");
        }
    }

    /**
     * Breaker 11: the process-shared word of a semaphore line overwritten (0x41414141 over glibc's 0x80) made glibc abort
     * the process (SIGABRT) in the producer's sem_post and the consumer's sem_clockwait, and every later end on the
     * file too. Now a sleeper refuses the ring with CorruptRingException before it calls the C library, and a notifier
     * posts nothing (its publication went through; the sleeper finds the damage itself).
     */
    @Test
    void shouldRefuseSemaphoreLineWhoseSharedWordWasOverwrittenInsteadOfAbortingInTheCLibrary()
    {
        file = CorruptRings.create("wait-sem-shared", RingConfig.spsc(4096).withWakeMechanism(WakeMechanism.SEMAPHORE));
        final int sharedWord = RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.SEMAPHORE_OFFSET + 8; // glibc
        assumeTrue(file.buffer().getInt(sharedWord) == 0x80, "not glibc's semaphore layout");
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            file.buffer().putIntVolatile(sharedWord, 0x41414141);
            final CorruptRings.Received received = new CorruptRings.Received();

            assertTimeoutPreemptively(HANG, () ->
            {
                final CorruptRingException ex = assertThrows(CorruptRingException.class,
                    () -> consumer.take(received, 1, 300, TimeUnit.MILLISECONDS));
                assertTrue(ex.getMessage().contains("0x41414141") && ex.getMessage().contains("wake line"), ex.getMessage());
                // as if a consumer slept on the line: the producer's signal reaches the wake call
                file.buffer().putIntVolatile(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET, 1);
                send(producer, "one");
            });
            assertEquals(0, file.buffer().getIntVolatile(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.SEMAPHORE_OFFSET),
                "nothing was posted to the overwritten semaphore");
            assertEquals(1, consumer.poll(received, 10), "the message is there to read");
        }
    }

    /**
     * A subscriber whose poll never delivers, as a consumer facing a condition that holds for a frame it cannot read.
     */
    private static final class NothingSubscriber implements Subscriber
    {
        @Override
        public int poll(final MessageHandler handler, final int limit)
        {
            return 0;
        }

        @Override
        public int controlledPoll(final ControlledMessageHandler handler, final int limit)
        {
            return 0;
        }

        @Override
        public boolean isEndOfStream()
        {
            return false;
        }

        @Override
        public void close()
        {
        }
    }

    /**
     * A publisher whose offer never takes a message, as a producer facing a condition that says there is room.
     */
    private static final class RefusingPublisher implements Publisher
    {
        @Override
        public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
        {
            return false;
        }

        @Override
        public int tryClaim(final int typeId, final int length)
        {
            return INSUFFICIENT_CAPACITY;
        }

        @Override
        public void commit(final int index)
        {
        }

        @Override
        public void abort(final int index)
        {
        }

        @Override
        public org.agrona.MutableDirectBuffer buffer()
        {
            return new UnsafeBuffer(new byte[64]);
        }

        @Override
        public int maxMessageLength()
        {
            return 64;
        }

        @Override
        public void close()
        {
        }
    }
}
