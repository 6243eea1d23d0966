package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast ring driven by real threads: one producer, several consumers reading at their own pace, consumers
 * joining and leaving during the traffic, a consumer that stops reading. Correctness only: every figure that depends
 * on scheduling (laps, lag) is printed, not asserted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BroadcastConcurrentTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final long DEADLINE_S = 120;

    private final Path path = TestRings.uniquePath("broadcast-mt");
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RingFile file;

    @AfterEach
    void tearDown() throws Exception
    {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(DEADLINE_S, TimeUnit.SECONDS));
        TestRings.closeAndDelete(file);
    }

    private void create(final BroadcastConfig config)
    {
        file = RingFile.create(path, RingConfig.broadcast(CAPACITY, config).withMaxMessageLength(CheckedMessages.MAX_LENGTH));
    }

    /**
     * Sends messages 0..count-1 (timed offers: a lossless ring waits for its slowest consumer), then closes, ending
     * the stream.
     */
    private Future<Integer> produce(final BroadcastProducer producer, final int count, final CountDownLatch start)
    {
        return threads.submit(() ->
        {
            final UnsafeBuffer src = new UnsafeBuffer(new byte[CheckedMessages.MAX_LENGTH]);
            start.await();
            try (producer)
            {
                for (int seq = 0; seq < count; seq++)
                {
                    CheckedMessages.write(src, 0, seq);
                    if (!producer.offer(CheckedMessages.typeOf(seq), src, 0, CheckedMessages.lengthOf(seq), DEADLINE_S, TimeUnit.SECONDS))
                    {
                        throw new AssertionError("offer of " + seq + " timed out after " + DEADLINE_S + " s");
                    }
                }
            }
            return count;
        });
    }

    /**
     * Reads with take (sleeping on the shared wake line) until the end of the stream.
     *
     * @return the reader, with the next sequence it expected and its first error.
     */
    private Future<BroadcastRingTest.Reader> consume(final BroadcastConsumer consumer, final int firstSeq)
    {
        return threads.submit(() ->
        {
            final BroadcastRingTest.Reader reader = new BroadcastRingTest.Reader(consumer, firstSeq);
            try (consumer)
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
                while (!consumer.isEndOfStream())
                {
                    final int read = consumer.take(reader, 64, 100, TimeUnit.MILLISECONDS);
                    assertTrue(read >= 0, "not dropped: " + read);
                    assertTrue(System.nanoTime() - deadline < 0, "end of stream within " + DEADLINE_S + " s");
                }
            }
            return reader;
        });
    }

    /**
     * Start {@code consumers} reading consumers, send {@code count} messages, and wait for the sending and every
     * consumer to finish.
     *
     * @return the readers, each with the next sequence it expected and its first error.
     */
    private List<BroadcastRingTest.Reader> runTraffic(final BroadcastProducer producer, final int consumers, final int count)
        throws Exception
    {
        final CountDownLatch start = new CountDownLatch(1);
        final List<Future<BroadcastRingTest.Reader>> futures = new ArrayList<>();
        for (int i = 0; i < consumers; i++)
        {
            futures.add(consume(new BroadcastConsumer(file), 0));
        }
        final Future<Integer> sent = produce(producer, count, start);
        start.countDown();
        assertEquals(count, sent.get(DEADLINE_S, TimeUnit.SECONDS), "the producer sent everything");
        final List<BroadcastRingTest.Reader> readers = new ArrayList<>();
        for (final Future<BroadcastRingTest.Reader> future : futures)
        {
            readers.add(future.get(DEADLINE_S, TimeUnit.SECONDS));
        }
        return readers;
    }

    @Test
    void shouldDeliverEveryMessageExactlyOnceInOrderToEveryLosslessConsumer() throws Exception
    {
        create(BroadcastConfig.lossless(4));
        final int count = 40_000;
        for (final BroadcastRingTest.Reader reader : runTraffic(new BroadcastProducer(file, BlockingWaitStrategy.defaults()), 4, count))
        {
            assertNull(reader.error);
            assertEquals(count, reader.expected, "every message, once, in order");
            assertEquals(count, reader.consumer.delivered());
        }
        assertEquals(0, file.droppedConsumers());
    }

    @Test
    void shouldDeliverOnlyIntactMessagesAndReportEveryGapAsALapToLossyConsumers() throws Exception
    {
        create(BroadcastConfig.lossy(4));
        final int count = 100_000;
        for (final BroadcastRingTest.Reader reader : runTraffic(new BroadcastProducer(file), 3, count))
        {
            assertNull(reader.error, "intact, increasing, gaps only right after a reported lap");
            assertEquals(file.producerPosition(), reader.consumer.position(), "read up to the end of the stream");
            assertTrue(reader.expected == count || reader.consumer.laps() > 0, "the last message, unless a lap skipped it");
            System.out.printf("lossy consumer %d: delivered %d of %d, %d laps, %d bytes lost%n", reader.consumer.slot(),
                reader.consumer.delivered(), count, reader.consumer.laps(), reader.consumer.lostBytes());
            assertTrue(reader.consumer.laps() > 0 || reader.consumer.delivered() == count, "nothing missing without a lap");
        }
    }

    @Test
    void shouldGiveEachJoinerAnUnbrokenRunWhileConsumersJoinAndLeaveDuringTraffic() throws Exception
    {
        create(BroadcastConfig.lossless(4));
        final int count = 40_000;
        final CountDownLatch start = new CountDownLatch(1);
        final BroadcastProducer producer = new BroadcastProducer(file, BlockingWaitStrategy.defaults());
        final Future<BroadcastRingTest.Reader> steady = consume(new BroadcastConsumer(file), 0);
        final AtomicBoolean stop = new AtomicBoolean();
        final Future<int[]> churn = threads.submit(() ->
        {
            int sessions = 0;
            int messages = 0;
            while (!stop.get())
            {
                try (BroadcastConsumer joiner = new BroadcastConsumer(file))
                {
                    final BroadcastRingTest.Reader reader = new BroadcastRingTest.Reader(joiner, -1);
                    for (int round = 0; round < 20 && !joiner.isEndOfStream(); round++)
                    {
                        assertTrue(joiner.take(reader, 16, 10, TimeUnit.MILLISECONDS) >= 0);
                    }
                    assertNull(reader.error, "session " + sessions + ": an unbroken run from where it joined");
                    messages += (int)joiner.delivered();
                }
                sessions++;
            }
            return new int[] {sessions, messages};
        });
        final Future<Integer> sent = produce(producer, count, start);
        start.countDown();
        assertEquals(count, sent.get(DEADLINE_S, TimeUnit.SECONDS));
        stop.set(true);
        final int[] sessions = churn.get(DEADLINE_S, TimeUnit.SECONDS);
        final BroadcastRingTest.Reader reader = steady.get(DEADLINE_S, TimeUnit.SECONDS);
        assertNull(reader.error);
        assertEquals(count, reader.expected, "the steady consumer got everything, once, in order");
        System.out.printf("join/leave: %d sessions read %d messages%n", sessions[0], sessions[1]);
        assertTrue(sessions[0] > 0);
    }

    @Test
    void shouldDropAConsumerThatStopsReadingAndLetTheOthersReceiveEverything() throws Exception
    {
        create(BroadcastConfig.lossless(4).withStallTimeoutMs(BroadcastDescriptor.MIN_STALL_TIMEOUT_MS));
        final int count = 20_000;
        final BroadcastProducer producer = new BroadcastProducer(file, BlockingWaitStrategy.defaults());
        final BroadcastConsumer stalled = new BroadcastConsumer(file);
        // the producer sends everything only if it goes on after dropping the consumer that never reads
        for (final BroadcastRingTest.Reader reader : runTraffic(producer, 2, count))
        {
            assertNull(reader.error);
            assertEquals(count, reader.expected);
        }
        final BroadcastRingTest.Reader late = new BroadcastRingTest.Reader(stalled, 0);
        int polled;
        do
        {
            polled = stalled.poll(late, 1000);
        }
        while (polled > 0);
        assertEquals(BroadcastConsumer.DROPPED, polled, "it learns it was dropped");
        assertNull(late.error, "what it read before finding out was in order and intact");
        assertEquals(1, file.droppedConsumers());
        stalled.close();
    }
}
