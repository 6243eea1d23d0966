package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.core.ControlledMessageHandler.Action;
import io.shmring.core.MessageHandler;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One thread drives a broadcast ring's producer and consumers in turn: ordering, every message to every consumer,
 * back-pressure, join and leave, drops, laps, the end of the stream.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BroadcastRingTest
{
    private static final int CAPACITY = 16 * 1024;
    private static final int MAX = CheckedMessages.MAX_LENGTH;

    private final Path path = TestRings.uniquePath("broadcast");
    private final UnsafeBuffer src = new UnsafeBuffer(new byte[MAX]);
    private final List<AutoCloseable> ends = new ArrayList<>();
    private RingFile file;
    private int nextSeq;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable end : ends)
        {
            end.close();
        }
        TestRings.closeAndDelete(file);
    }

    private void create(final BroadcastConfig config)
    {
        file = RingFile.create(path, RingConfig.broadcast(CAPACITY, config).withMaxMessageLength(MAX));
    }

    private <T extends AutoCloseable> T end(final T end)
    {
        ends.add(end);
        return end;
    }

    private boolean offerNext(final BroadcastProducer producer)
    {
        CheckedMessages.write(src, 0, nextSeq);
        if (producer.offer(CheckedMessages.typeOf(nextSeq), src, 0, CheckedMessages.lengthOf(nextSeq)))
        {
            nextSeq++;
            return true;
        }
        return false;
    }

    @Test
    void shouldDeliverEveryMessageToEveryLosslessConsumerInOrderAcrossManyWraps()
    {
        create(BroadcastConfig.lossless(4));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final Reader[] readers = new Reader[3];
        for (int i = 0; i < readers.length; i++)
        {
            readers[i] = new Reader(end(new BroadcastConsumer(file)), 0);
        }
        final Random random = new Random(7);
        while (producer.position() < 40L * CAPACITY)
        {
            if (!offerNext(producer))
            {
                for (final Reader reader : readers)
                {
                    reader.poll(1 + random.nextInt(16));
                }
            }
        }
        for (final Reader reader : readers)
        {
            while (reader.poll(100) > 0)
            {
                // drain
            }
            assertNull(reader.error);
            assertEquals(nextSeq, reader.expected, "every message once, in order");
        }
    }

    @Test
    void shouldHoldLosslessProducerBackAtSlowestConsumer()
    {
        create(BroadcastConfig.lossless(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final Reader fast = new Reader(end(new BroadcastConsumer(file)), 0);
        final Reader slow = new Reader(end(new BroadcastConsumer(file)), 0);
        while (producer.position() < 2L * CAPACITY && offerNext(producer)) // bounded: the slow one holds it at one ring
        {
            fast.poll(Integer.MAX_VALUE);
        }
        assertTrue(producer.position() - slow.consumer.position() > CAPACITY - 2 * (MAX + 8),
            "refused only when the slowest is nearly a ring behind");
        assertEquals(nextSeq, fast.expected);
        assertTrue(slow.poll(Integer.MAX_VALUE) > 0);
        assertTrue(offerNext(producer), "space once the slowest moved");
        assertNull(slow.error);
    }

    @Test
    void shouldStartJoinerAtTheTail()
    {
        create(BroadcastConfig.lossless(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        for (int i = 0; i < 5; i++)
        {
            assertTrue(offerNext(producer));
        }
        final Reader joiner = new Reader(end(new BroadcastConsumer(file)), 5);
        assertEquals(0, joiner.poll(10));
        assertTrue(offerNext(producer));
        assertEquals(1, joiner.poll(10));
        assertNull(joiner.error);
    }

    @Test
    void shouldFreeTheSlotAndReleaseTheProducerWhenAConsumerLeaves()
    {
        create(BroadcastConfig.lossless(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final BroadcastConsumer first = new BroadcastConsumer(file);
        end(new BroadcastConsumer(file));
        final TableFullException full = assertThrows(TableFullException.class, () -> new BroadcastConsumer(file));
        assertEquals(2, full.slots());
        assertEquals("broadcast consumer", full.role());
        first.close();
        final BroadcastConsumer again = end(new BroadcastConsumer(file));
        assertEquals(first.slot(), again.slot(), "the freed slot is taken again");
        again.close();
        assertEquals(1, producer.readingConsumers());
    }

    @Test
    void shouldDropAStalledLosslessConsumerAfterTheStallTimeoutAndTellIt() throws Exception
    {
        create(BroadcastConfig.lossless(2).withStallTimeoutMs(BroadcastDescriptor.MIN_STALL_TIMEOUT_MS));
        final BroadcastProducer producer = end(new BroadcastProducer(file, BlockingWaitStrategy.defaults()));
        final Reader stalled = new Reader(end(new BroadcastConsumer(file)), 0);
        final Reader live = new Reader(end(new BroadcastConsumer(file)), 0);
        while (producer.position() < 2L * CAPACITY && offerNext(producer)) // bounded: a preempted test may see the drop early
        {
            live.poll(Integer.MAX_VALUE);
        }
        CheckedMessages.write(src, 0, nextSeq);
        assertTrue(producer.offer(CheckedMessages.typeOf(nextSeq), src, 0, CheckedMessages.lengthOf(nextSeq), 60, TimeUnit.SECONDS),
            "the stalled consumer is dropped within the stall timeout, far below 60 s");
        nextSeq++;
        assertEquals(BroadcastConsumer.DROPPED, stalled.poll(10));
        assertTrue(stalled.consumer.isDropped());
        assertThrows(ConsumerDroppedException.class, () -> stalled.poll(10));
        assertEquals(1, file.droppedConsumers());
        assertEquals(1, file.consumerSlotStatus(stalled.consumer.slot()).drops());
        live.poll(Integer.MAX_VALUE);
        assertEquals(nextSeq, live.expected, "the live consumer lost nothing");

        stalled.consumer.rejoin();
        stalled.expected = nextSeq;
        assertTrue(offerNext(producer));
        assertEquals(1, stalled.poll(10), "a rejoined consumer reads from the tail");
        assertNull(stalled.error);
        assertNull(live.error);
    }

    @Test
    void shouldReportTheDropBeforeDeliveringAnotherMessageWhenADroppedConsumerStillHasFramesBelowItsCachedTail() throws Exception
    {
        create(BroadcastConfig.lossless(1).withStallTimeoutMs(3_000)); // long enough that filling the ring never stalls it
        final BroadcastProducer producer = end(new BroadcastProducer(file, BlockingWaitStrategy.defaults()));
        final BroadcastConsumer stalled = end(new BroadcastConsumer(file));
        final int length = 56; // one length: the message written over the dropped consumer's next frame is a whole, valid frame
        long sent = 0;
        while (producer.position() < 2L * CAPACITY && producer.offer(1, src, 0, length)) // until the ring is full
        {
            sent++;
        }
        assertEquals(1, stalled.poll((typeId, buffer, offset, len) -> { }, 1), "the consumer now caches a tail a ring ahead of it");
        while (producer.offer(1, src, 0, length)) // fill the space that read freed; bounded: one message's worth
        {
            sent++;
        }
        assertTrue(producer.offer(1, src, 0, length, 60, TimeUnit.SECONDS),
            "the stalled consumer is dropped within the stall timeout, far below 60 s: sent=" + sent);
        final int[] delivered = {0};
        assertEquals(BroadcastConsumer.DROPPED, stalled.poll((typeId, buffer, offset, len) -> delivered[0]++, 10));
        assertEquals(0, delivered[0], "a dropped consumer delivers nothing more, although its cached tail covers more frames");
    }

    @Test
    void shouldDropADeadLosslessConsumerByLivenessWithoutWaitingForTheStallTimeout() throws Exception
    {
        create(BroadcastConfig.lossless(2).withStallTimeoutMs(BroadcastDescriptor.MAX_STALL_TIMEOUT_MS));
        final BroadcastProducer producer = end(new BroadcastProducer(file, BlockingWaitStrategy.defaults()));
        final BroadcastConsumer dead = end(new BroadcastConsumer(file));
        final Reader live = new Reader(end(new BroadcastConsumer(file)), 0);
        TestParties.makeHolderDead(file, BroadcastSlots.partyOffset(dead.slot()));
        while (producer.position() < 3L * CAPACITY)
        {
            CheckedMessages.write(src, 0, nextSeq);
            assertTrue(producer.offer(CheckedMessages.typeOf(nextSeq), src, 0, CheckedMessages.lengthOf(nextSeq), 60, TimeUnit.SECONDS),
                "a dead consumer is dropped by its liveness (the stall timeout is a day)");
            nextSeq++;
            live.poll(Integer.MAX_VALUE);
        }
        assertEquals(1, file.droppedConsumers());
        assertEquals(nextSeq, live.expected);
        assertNull(live.error);
    }

    @Test
    void shouldLetOnlyTheProducerDropAConsumerOfALosslessRing()
    {
        create(BroadcastConfig.lossy(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        assertThrows(IllegalStateException.class, () -> producer.drop(0));
    }

    @Test
    void shouldReportALapWithTheBytesLostAndResumeAtTheTail()
    {
        create(BroadcastConfig.lossy(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final List<Long> lapped = new ArrayList<>();
        final BroadcastConsumer consumer =
            end(new BroadcastConsumer(file, BroadcastStart.TAIL, lapped::add, BlockingWaitStrategy.defaults()));
        final Reader reader = new Reader(consumer, 0);
        while (producer.position() < 3L * CAPACITY)
        {
            assertTrue(offerNext(producer), "a lossy producer never waits");
        }
        final long tail = producer.position();
        assertEquals(0, reader.poll(10), "nothing intact to deliver: the producer is three laps ahead");
        assertEquals(List.of(tail), lapped, "one lap, reporting every byte skipped");
        assertEquals(1, consumer.laps());
        assertEquals(tail, consumer.lostBytes());
        assertEquals(tail, consumer.position(), "resumed at the tail");
        assertEquals(1, file.consumerSlotStatus(consumer.slot()).laps());
        reader.expected = nextSeq;
        assertTrue(offerNext(producer));
        assertEquals(1, reader.poll(10));
        assertNull(reader.error);
    }

    @Test
    void shouldNotReportALapToALossyConsumerThatStaysWithinOneRing()
    {
        create(BroadcastConfig.lossy(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final Reader reader = new Reader(end(new BroadcastConsumer(file)), 0);
        while (producer.position() < 40L * CAPACITY)
        {
            // the next frame (with padding, at most 2 x (MAX + 8)) still ends within one ring of the reader
            while (producer.position() + 2L * (MAX + 8) - reader.consumer.position() <= CAPACITY)
            {
                assertTrue(offerNext(producer));
            }
            reader.poll(Integer.MAX_VALUE);
        }
        assertNull(reader.error);
        assertEquals(0, reader.consumer.laps(), "a reader the producer never overtook is never told it was");
        assertEquals(nextSeq, reader.expected);
    }

    @Test
    void shouldDeliverOnlyIntactMessagesWhenLappedInTheMiddleOfTheRing()
    {
        create(BroadcastConfig.lossy(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final List<Long> lapped = new ArrayList<>();
        final BroadcastConsumer consumer =
            end(new BroadcastConsumer(file, BroadcastStart.TAIL, lapped::add, BlockingWaitStrategy.defaults()));
        final Reader reader = new Reader(consumer, 0);
        final Random random = new Random(11);
        while (producer.position() < 30L * CAPACITY)
        {
            assertTrue(offerNext(producer));
            if (random.nextInt(4) == 0)
            {
                reader.poll(1 + random.nextInt(3));
            }
        }
        while (reader.poll(100) > 0)
        {
            // drain
        }
        assertNull(reader.error, "every delivered message intact, gaps only after a lap");
        assertFalse(lapped.isEmpty(), "a consumer reading a quarter as fast is lapped");
        assertEquals(nextSeq, reader.expected, "caught up with the last message");
    }

    @Test
    void shouldStartALossyJoinerAtTheOldestIntactCheckpoint()
    {
        create(BroadcastConfig.lossy(2));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        while (producer.position() < 5L * CAPACITY / 2)
        {
            assertTrue(offerNext(producer));
        }
        final BroadcastConsumer consumer =
            end(new BroadcastConsumer(file, BroadcastStart.OLDEST, null, BlockingWaitStrategy.defaults()));
        assertTrue(producer.position() - consumer.position() > CAPACITY / 2, "starts well behind the tail");
        assertTrue(producer.position() - consumer.position() <= CAPACITY, "within one ring of it");
        final Reader reader = new Reader(consumer, -1);
        reader.poll(1);
        assertTrue(reader.expected > 0 && reader.expected < nextSeq);
        while (reader.poll(100) > 0)
        {
            // drain
        }
        assertNull(reader.error);
        assertEquals(nextSeq, reader.expected);
        assertEquals(0, consumer.laps());
    }

    @Test
    void shouldRefuseOldestStartOnALosslessRing()
    {
        create(BroadcastConfig.lossless(2));
        assertThrows(IllegalArgumentException.class,
            () -> new BroadcastConsumer(file, BroadcastStart.OLDEST, null, BlockingWaitStrategy.defaults()));
    }

    @Test
    void shouldReachTheEndOfTheStreamAfterReadingEverything()
    {
        create(BroadcastConfig.lossless(2));
        final BroadcastProducer producer = new BroadcastProducer(file);
        final Reader reader = new Reader(end(new BroadcastConsumer(file)), 0);
        assertTrue(offerNext(producer));
        producer.close();
        assertFalse(reader.consumer.isEndOfStream(), "one message unread");
        assertEquals(1, reader.poll(10));
        assertTrue(reader.consumer.isEndOfStream());
        final Reader late = new Reader(end(new BroadcastConsumer(file)), 1);
        assertFalse(late.consumer.isEndOfStream(), "an end found at joining belongs to an earlier stream");
    }

    @Test
    void shouldRedeliverAnAbortedMessageAndCommitOnRequest()
    {
        create(BroadcastConfig.lossless(1));
        final BroadcastProducer producer = end(new BroadcastProducer(file));
        final BroadcastConsumer consumer = end(new BroadcastConsumer(file));
        assertTrue(offerNext(producer));
        assertTrue(offerNext(producer));
        final List<Integer> seen = new ArrayList<>();
        assertEquals(0, consumer.controlledPoll((typeId, buffer, offset, length) ->
        {
            seen.add(buffer.getInt(offset));
            return Action.ABORT;
        }, 10));
        assertEquals(2, consumer.controlledPoll((typeId, buffer, offset, length) ->
        {
            seen.add(buffer.getInt(offset));
            return Action.COMMIT;
        }, 10));
        assertEquals(List.of(0, 0, 1), seen);
        assertEquals(producer.position(), file.consumerSlotStatus(consumer.slot()).position());
    }

    /**
     * Checks each message it gets: the next sequence number (or, after a lap, a later one), intact.
     */
    static final class Reader implements MessageHandler
    {
        final BroadcastConsumer consumer;
        int expected;
        String error;
        private long lapsSeen;

        Reader(final BroadcastConsumer consumer, final int expected)
        {
            this.consumer = consumer;
            this.expected = expected;
        }

        int poll(final int limit)
        {
            return consumer.poll(this, limit);
        }

        @Override
        public void onMessage(final int typeId, final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            final int seq = buffer.getInt(offset);
            final boolean lapped = consumer.laps() != lapsSeen;
            lapsSeen = consumer.laps();
            if (expected < 0 || lapped && seq > expected)
            {
                expected = seq; // the first message of a start at a checkpoint, or after a reported lap
            }
            final String wrong = CheckedMessages.verify(expected, typeId, buffer, offset, length);
            if (wrong != null && error == null)
            {
                error = wrong + (lapped ? " (after a lap)" : "");
            }
            expected++;
        }
    }
}
