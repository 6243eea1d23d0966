package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer whose ring file is removed ({@code rm}) and re-created at its path by a new producer (issue 12, B3) must
 * not wait forever on the old file: it delivers what the old file still holds, then reports the ring gone. Every consumer
 * kind: SPSC, MPSC, and a broadcast ring's consumers of either policy.
 */
class ConsumerOfGoneRingTest
{
    /** Only a hang waits this long. */
    private static final long GENEROUS_S = 60;

    private final Path path = TestPaths.uniqueShmPath("gone-consumer");
    private final TrackedResources resources = new TrackedResources();

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    @Test
    void shouldDeliverWhatIsLeftThenReportTheRingGoneWhenAnSpscRingIsRemovedAndCreatedAnew() throws Exception
    {
        assertDrainsThenReportsGone(RingConfig.spsc(64 * 1024), SpscProducer::new, SpscConsumer::new);
    }

    @Test
    void shouldDeliverWhatIsLeftThenReportTheRingGoneWhenAnMpscRingIsRemovedAndCreatedAnew() throws Exception
    {
        assertDrainsThenReportsGone(RingConfig.mpsc(64 * 1024), MpscProducer::new, MpscConsumer::new);
    }

    @Test
    void shouldDeliverWhatIsLeftThenReportTheRingGoneWhenALosslessBroadcastRingIsRemovedAndCreatedAnew() throws Exception
    {
        assertDrainsThenReportsGone(RingConfig.broadcast(64 * 1024, BroadcastConfig.lossless(2)), BroadcastProducer::new,
            BroadcastConsumer::new);
    }

    @Test
    void shouldDeliverWhatIsLeftThenReportTheRingGoneWhenALossyBroadcastRingIsRemovedAndCreatedAnew() throws Exception
    {
        assertDrainsThenReportsGone(RingConfig.broadcast(64 * 1024, BroadcastConfig.lossy(2)), BroadcastProducer::new,
            BroadcastConsumer::new);
    }

    private void assertDrainsThenReportsGone(
        final RingConfig config, final Function<RingFile, Publisher> producers, final Function<RingFile, Subscriber> consumers) throws Exception
    {
        final RingFile old = resources.track(RingFile.create(path, config));
        final Publisher producer = resources.track(producers.apply(old));
        final Subscriber consumer = resources.track(consumers.apply(old));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        for (int i = 1; i <= 3; i++)
        {
            message.putLong(0, i);
            assertTrue(producer.offer(1, message, 0, 8));
        }
        producer.close();

        Files.delete(path); // rm
        final RingFile replacement = resources.track(RingFile.create(path, config)); // a new send creates a new ring there
        final Publisher newProducer = resources.track(producers.apply(replacement));
        message.putLong(0, 99);
        assertTrue(newProducer.offer(1, message, 0, 8));

        final List<Long> delivered = new ArrayList<>();
        while (delivered.size() < 3)
        {
            assertTrue(consumer.take((typeId, buffer, offset, length) -> delivered.add(buffer.getLong(offset)), 256,
                GENEROUS_S, TimeUnit.SECONDS) > 0, "what the old file holds is delivered: " + delivered);
        }
        assertEquals(List.of(1L, 2L, 3L), delivered);
        final RingGoneException gone = awaitGone(consumer, delivered);
        assertTrue(gone.getMessage().startsWith("ring file gone (deleted, or replaced by another file); every message it held was delivered"),
            gone.getMessage());
        assertThrows(RingGoneException.class, () -> consumer.poll((typeId, buffer, offset, length) -> { }, 1), "and every later call");
        assertEquals(List.of(1L, 2L, 3L), delivered, "nothing else");
    }

    /**
     * Take until the consumer reports the ring gone: a take may return 0 before that (the old producer closed, so its
     * stream ended), but none delivers anything and the report comes within a few heartbeats.
     */
    private static RingGoneException awaitGone(final Subscriber consumer, final List<Long> delivered) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_S);
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                assertEquals(0, consumer.take((typeId, buffer, offset, length) -> delivered.add(buffer.getLong(offset)), 256,
                    GENEROUS_S, TimeUnit.SECONDS), "nothing more comes from the old file: " + delivered);
                Thread.sleep(10);
            }
            catch (final RingGoneException ex)
            {
                return ex;
            }
        }
        throw new AssertionError("the consumer never reported its ring gone within " + GENEROUS_S + " s");
    }
}
