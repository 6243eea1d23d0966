package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters ring ends keep in the ring file (docs/LAYOUT.md 2.4) count a known sequence exactly, read through a
 * second, read-only mapping as a monitor in another process would.
 */
class RingCountersTest
{
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldCountSpscMessagesBytesAndFullRingEventsExactly() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("counters-spsc");
        try (RingFile file = RingFile.create(path, RingConfig.spsc(256));
             RingFile monitor = RingFile.openReadOnly(path))
        {
            assertEquals(new RingCounters(0, 0, 0, 0, 0, 0), monitor.counters(), "a new ring has counted nothing");
            try (SpscProducer producer = new SpscProducer(file);
                 SpscConsumer consumer = new SpscConsumer(file))
            {
                assertTrue(producer.offer(1, PAYLOAD, 0, 10));
                assertTrue(producer.offer(1, PAYLOAD, 0, 20));
                final int index = producer.tryClaim(1, 5);
                assertTrue(index >= 0);
                producer.commit(index);
                assertEquals(new RingCounters(3, 35, 0, 0, 0, 0), monitor.counters());

                assertEquals(2, consumer.poll((t, b, o, l) -> { }, 2));
                assertEquals(new RingCounters(3, 35, 2, 30, 0, 0), monitor.counters(), "counted per poll batch");

                int published = 3;
                long bytes = 35;
                while (producer.offer(1, PAYLOAD, 0, 24)) // 32-byte frames into 256 bytes: bounded by the capacity
                {
                    published++;
                    bytes += 24;
                }
                assertFalse(producer.offer(1, PAYLOAD, 0, 24));
                assertTrue(producer.tryClaim(1, 24) < 0, "still full");
                assertEquals(new RingCounters(published, bytes, 2, 30, 0, 3), monitor.counters(),
                    "three offers and claims found no space");
                int drained = 2;
                while (drained < published) // bounded: the producer stopped
                {
                    drained += consumer.poll((t, b, o, l) -> { }, 100);
                }
                assertEquals(new RingCounters(published, bytes, published, bytes, 0, 3), monitor.counters());
            }
            try (SpscProducer next = new SpscProducer(file))
            {
                assertTrue(next.offer(1, PAYLOAD, 0, 8));
                assertEquals(1, monitor.counters().messagesPublished() - monitor.counters().messagesConsumed(),
                    "a new producer continues the count since creation");
            }
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldSumMpscProducerSlotsAndCountClaims() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("counters-mpsc");
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(4096));
             RingFile monitor = RingFile.openReadOnly(path);
             MpscProducer first = new MpscProducer(file);
             MpscProducer second = new MpscProducer(file);
             MpscConsumer consumer = new MpscConsumer(file))
        {
            for (int i = 0; i < 3; i++)
            {
                assertTrue(first.offer(1, PAYLOAD, 0, 16));
            }
            assertTrue(second.offer(1, PAYLOAD, 0, 4));
            final int aborted = second.tryClaim(1, 12);
            second.abort(aborted);
            assertEquals(new RingCounters(5, 64, 0, 0, 0, 0), monitor.counters(),
                "claims are counted, the aborted one too: 3 x 16 + 4 + 12 bytes over two slots");
            int delivered = 0;
            for (int round = 0; round < 10 && delivered < 4; round++) // bounded: everything is committed
            {
                delivered += consumer.poll((t, b, o, l) -> { }, 100);
            }
            assertEquals(4, delivered);
            assertEquals(new RingCounters(5, 64, 4, 52, 0, 0), monitor.counters());
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    /**
     * A consumer asleep in take is woken by the producer's publication: the file's wake count is exactly the wake calls
     * the two ends made, as their own eventcounts counted them (whether the consumer was still asleep at the signal is
     * scheduling, so only the agreement is asserted; the figure is printed).
     */
    @Test
    void shouldCountTheWakeCallsTheEndsMade() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("counters-wake");
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096));
             RingFile monitor = RingFile.openReadOnly(path);
             SpscProducer producer = new SpscProducer(file);
             SpscConsumer consumer = new SpscConsumer(file))
        {
            final CountDownLatch taking = new CountDownLatch(1);
            final Future<Integer> taken = executor.submit(() ->
            {
                taking.countDown();
                return consumer.take((t, b, o, l) -> { }, 1, 60, TimeUnit.SECONDS);
            });
            assertTrue(taking.await(60, TimeUnit.SECONDS));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.wakeups().notEmpty().waiters() == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait(); // the consumer registers as a sleeper (a value in shared memory)
            }
            assertTrue(producer.offer(1, PAYLOAD, 0, 8));
            assertEquals(1, taken.get(60, TimeUnit.SECONDS));
            final long made = producer.wakeups().wakeCalls() + consumer.wakeups().wakeCalls();
            assertEquals(made, monitor.counters().wakeCalls());
            System.out.println("wake calls counted in the file: " + made);
        }
        finally
        {
            executor.shutdownNow();
            Files.deleteIfExists(path);
        }
    }
}
