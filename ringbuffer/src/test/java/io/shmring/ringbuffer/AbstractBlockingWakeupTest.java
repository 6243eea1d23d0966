package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.Background;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.LostWakeupJudge;
import io.shmring.sync.SignalWitness;
import io.shmring.sync.Sleepers;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Blocking take and timed offer on a ring, threads in one process, with the Futex and the Semaphore
 * wake mechanisms. A ring kind is a subclass giving {@link #config(int)}.
 * <p>
 * A thread that must be woken sleeps in slices longer than the test ({@link #LONG_SLICES}), so once it is
 * asleep only the other side's signal can end its wait: what the wake tests count is then fixed by the
 * protocol, not by the scheduler. Waits are bounded by {@link #DEADLINE_SECONDS}, which only a hang reaches.
 */
abstract class AbstractBlockingWakeupTest
{
    private static final int TYPE_ID = 3;
    private static final long DEADLINE_SECONDS = 60;
    /** Spins and yields as by default, then sleeps in slices no test outlasts. */
    private static final BlockingWaitStrategy LONG_SLICES = new BlockingWaitStrategy(
        BlockingWaitStrategy.DEFAULT_SPINS, BlockingWaitStrategy.DEFAULT_YIELDS, LostWakeupJudge.SLICE_NANOS);

    private RingFile file;

    abstract RingConfig config(int capacity);

    @AfterEach
    void tearDown()
    {
        TestRings.closeAndDelete(file);
    }

    private void createRing(final WakeMechanism mechanism, final int capacity)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        file = RingFile.create(TestRings.uniquePath("blocking-test"), config(capacity).withWakeMechanism(mechanism));
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeProducerBlockedOnFullRingWhenConsumerFreesSpace(final WakeMechanism mechanism) throws Exception
    {
        createRing(mechanism, 4096);
        try (Publisher producer = RingEndpoints.publisher(file, LONG_SLICES);
            Subscriber consumer = RingEndpoints.subscriber(file, BlockingWaitStrategy.defaults()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
            int sent = 0;
            while (producer.offer(TYPE_ID, message, 0, message.capacity()))
            {
                message.putInt(0, ++sent);
            }
            final int lastSequence = sent; // values 0..sent-1 went in; the blocked offer carries sent
            try (Background<Boolean> blockedOffer = Background.start("blocked-offer",
                () -> producer.offer(TYPE_ID, message, 0, message.capacity(), DEADLINE_SECONDS, TimeUnit.SECONDS),
                wakeups(consumer)::signalNotFull))
            {
                Sleepers.awaitSleeping(wakeups(producer).notFull());
                assertFalse(blockedOffer.isDone(), "offer returned although the ring is full");

                assertEquals(1, consumer.poll((typeId, buffer, offset, length) -> { }, 1));

                assertTrue(blockedOffer.get(DEADLINE_SECONDS), "blocked offer timed out");
            }
            assertTrue(wakeups(producer).notFull().wokenWaits() >= 1, wakeups(producer).toString());
            assertEquals(0, wakeups(producer).notFull().expiredWaits(), "only the consumer's signal ended the sleep");
            assertEquals(1, wakeups(consumer).notFull().wakeCalls(), wakeups(consumer).toString());
            final int[] lastSeen = new int[1];
            while (consumer.poll((typeId, buffer, offset, length) -> lastSeen[0] = buffer.getInt(offset), 100) > 0)
            {
                // drain: the message the blocked offer sent comes last
            }
            assertEquals(lastSequence, lastSeen[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeConsumerBlockedInTakeWhenMessageIsPublished(final WakeMechanism mechanism) throws Exception
    {
        createRing(mechanism, 4096);
        try (Publisher producer = RingEndpoints.publisher(file, defaultStrategy());
            Subscriber consumer = RingEndpoints.subscriber(file, LONG_SLICES))
        {
            final int[] received = new int[1];
            try (Background<Integer> take = Background.start("blocked-take",
                () -> take(consumer, (typeId, buffer, offset, length) -> received[0] = buffer.getInt(offset)),
                wakeups(producer)::signalNotEmpty))
            {
                Sleepers.awaitSleeping(wakeups(consumer).notEmpty());

                final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                message.putInt(0, 42);
                assertTrue(producer.offer(TYPE_ID, message, 0, message.capacity()));

                assertEquals(1, take.get(DEADLINE_SECONDS));
            }
            assertEquals(42, received[0]);
            assertEquals(1, wakeups(producer).wakeCalls());
            assertTrue(wakeups(consumer).notEmpty().wokenWaits() >= 1, wakeups(consumer).toString());
            assertEquals(0, wakeups(consumer).notEmpty().expiredWaits(), "only the producer's signal ended the sleep");
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldWakeConsumerBlockedInTakeWhenProducerCloses(final WakeMechanism mechanism) throws Exception
    {
        createRing(mechanism, 4096);
        final Publisher producer = RingEndpoints.publisher(file, defaultStrategy());
        try (Subscriber consumer = RingEndpoints.subscriber(file, defaultStrategy()))
        {
            // An MPSC stream can end only after something was published; one message read first holds for both kinds.
            assertTrue(producer.offer(TYPE_ID, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(1, consumer.poll((typeId, buffer, offset, length) -> { }, 10));
            try (Background<Integer> take = Background.start("blocked-take",
                () -> take(consumer, (typeId, buffer, offset, length) -> { }), wakeups(producer)::signalNotEmpty))
            {
                Sleepers.awaitSleeping(wakeups(consumer).notEmpty());
                assertFalse(take.isDone(), "take returned before the producer closed");

                producer.close();

                assertEquals(0, take.get(DEADLINE_SECONDS));
            }
            assertTrue(consumer.isEndOfStream());
            assertEquals(0, wakeups(consumer).notEmpty().timeouts(), "take must end by the close, not its timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldReturnZeroFromTakeWhenTimeoutPassesOnEmptyRing(final WakeMechanism mechanism) throws Exception
    {
        createRing(mechanism, 4096);
        try (Subscriber consumer = RingEndpoints.subscriber(file, BlockingWaitStrategy.sleepOnly()))
        {
            final long start = System.nanoTime();

            assertEquals(0, consumer.take((typeId, buffer, offset, length) -> { }, 10, 30, TimeUnit.MILLISECONDS));

            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "returned before its timeout");
            assertEquals(0, wakeups(consumer).notEmpty().waiters(), "take must deregister");
            // Whether the 30 ms ran out on the wake line (counted there) or before the take reached it (a thread
            // preempted for 30 ms never gets there) is the scheduler's choice: printed.
            System.out.println(mechanism + " take timed out on an empty ring: " + wakeups(consumer).notEmpty());
        }
    }

    /**
     * Both sides sleep at once whenever they must wait, each judged by a {@link LostWakeupJudge}: the producer
     * records on the not-empty witness how many messages it has published once each offer returned, the
     * consumer records on the not-full witness its position once each take returned. A sleep that runs out its
     * 30 s slice with its condition true although that record says the signal came within the slice fails the
     * run; how often each side slept is printed.
     */
    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldStreamThroughSmallRingWithBothSidesBlockingWithoutLostWakeup(final WakeMechanism mechanism)
        throws Exception
    {
        createRing(mechanism, 1024);
        final int messages = 200_000;
        final int length = 40;
        final UnsafeBuffer witnesses = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * SignalWitness.LENGTH));
        final SignalWitness published = new SignalWitness(witnesses, 0);
        final SignalWitness freed = new SignalWitness(witnesses, SignalWitness.LENGTH);
        final LostWakeupJudge consumerJudge = new LostWakeupJudge(published);
        final LostWakeupJudge producerJudge = new LostWakeupJudge(freed);
        try (Publisher producer = RingEndpoints.publisher(file, producerJudge);
            Subscriber consumer = RingEndpoints.subscriber(file, consumerJudge);
            Background<Integer> consumed = Background.start("stream-consumer", () ->
            {
                final int[] expected = { 0 };
                final MessageHandler checkOrder = (typeId, buffer, offset, messageLength) ->
                {
                    if (buffer.getInt(offset) != expected[0]++)
                    {
                        throw new AssertionError("out of order at " + (expected[0] - 1));
                    }
                };
                while (expected[0] < messages)
                {
                    consumerJudge.expect(expected[0] + 1L); // the publication of the next message
                    if (take(consumer, checkOrder) == 0)
                    {
                        throw new AssertionError("take timed out after " + expected[0]);
                    }
                    freed.signalled(file.consumerPosition()); // the take's head moves and not-full signals are done
                }
                return expected[0];
            }, wakeups(producer)::signalNotEmpty))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
            final int frame = FrameDescriptor.alignedFrameLength(length);
            for (int i = 0; i < messages; i++)
            {
                message.putInt(0, i);
                final long tail = file.producerPosition();
                final int toEnd = file.capacity() - (int)(tail & (file.capacity() - 1));
                producerJudge.expect(tail + (frame > toEnd ? toEnd : 0) + frame - file.capacity()); // the head that frees room
                if (!producer.offer(TYPE_ID, message, 0, length, DEADLINE_SECONDS, TimeUnit.SECONDS))
                {
                    throw new AssertionError("offer " + i + " timed out | consumer: " + consumed.outcome());
                }
                published.signalled(i + 1L);
            }

            assertEquals(messages, consumed.get(2 * DEADLINE_SECONDS)); // only a hang takes this long
            System.out.println(mechanism + " blocking stream of " + messages + " through 1 KiB: producer " +
                wakeups(producer) + " " + producerJudge + " | consumer " + wakeups(consumer) + " " + consumerJudge);
        }
    }

    @Test
    void shouldMakeNoFutexWakeCallOverMillionMessagesWhenConsumerBusyPolls() throws Exception
    {
        createRing(WakeMechanism.FUTEX, 64 * 1024);
        final int messages = 1_000_000;
        try (Publisher producer = RingEndpoints.publisher(file, IdleWaitStrategy.busySpin());
            Subscriber consumer = RingEndpoints.subscriber(file, IdleWaitStrategy.busySpin());
            Background<Long> consumed = Background.start("busy-consumer", () ->
            {
                final long[] sumAndCount = new long[2];
                final MessageHandler sum = (typeId, buffer, offset, length) ->
                {
                    sumAndCount[0] += buffer.getInt(offset);
                    sumAndCount[1]++;
                };
                while (sumAndCount[1] < messages && !Thread.currentThread().isInterrupted())
                {
                    consumer.poll(sum, 64);
                }
                return sumAndCount[0];
            }, () -> { }))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < messages; i++)
            {
                message.putInt(0, i);
                assertTrue(producer.offer(TYPE_ID, message, 0, message.capacity(), DEADLINE_SECONDS, TimeUnit.SECONDS));
            }

            assertEquals((long)messages * (messages - 1) / 2, consumed.get(2 * DEADLINE_SECONDS));
            assertEquals(0, wakeups(producer).wakeCalls(), wakeups(producer).toString());
            assertEquals(0, wakeups(consumer).wakeCalls(), wakeups(consumer).toString());
            assertEquals(0, wakeups(producer).waitCalls() + wakeups(consumer).waitCalls());
        }
    }

    private static WaitStrategy defaultStrategy()
    {
        return RingWakeups.defaultWaitStrategy();
    }

    private static RingWakeups wakeups(final Object endpoint)
    {
        return RingEndpoints.wakeups(endpoint);
    }

    private static int take(final Subscriber consumer, final MessageHandler handler) throws InterruptedException
    {
        return consumer.take(handler, 100, DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}
