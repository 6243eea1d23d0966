package io.shmring.ringbuffer;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
     * Broadcast consumers count deliveries and their payload bytes in their slots, through poll and controlledPoll, in
     * a lossless ring (delivered in place) and a lossy one (delivered from copies); the ring's consumed counts are
     * the slots' summed, and a consumer that joins a slot anew counts from 0.
     */
    @Test
    void shouldCountBroadcastDeliveriesAndTheirBytesPerConsumerSlot() throws Exception
    {
        for (final BroadcastConfig config : List.of(BroadcastConfig.lossless(4), BroadcastConfig.lossy(4)))
        {
            final Path path = TestPaths.uniqueShmPath("counters-broadcast");
            try (RingFile file = RingFile.create(path, RingConfig.broadcast(4096, config));
                 RingFile monitor = RingFile.openReadOnly(path);
                 BroadcastProducer producer = new BroadcastProducer(file);
                 BroadcastConsumer first = new BroadcastConsumer(file);
                 BroadcastConsumer second = new BroadcastConsumer(file))
            {
                assertTrue(producer.offer(1, PAYLOAD, 0, 10));
                assertTrue(producer.offer(1, PAYLOAD, 0, 20));
                assertTrue(producer.offer(1, PAYLOAD, 0, 5));
                assertEquals(3, first.poll((t, b, o, l) -> { }, 10), config::toString);
                assertEquals(2, second.controlledPoll((t, b, o, l) -> ControlledMessageHandler.Action.CONTINUE, 2));
                assertEquals(35, first.deliveredBytes());
                assertEquals(30, second.deliveredBytes());
                assertEquals(new RingCounters(3, 35, 5, 65, 0, 0), monitor.counters(), config::toString);
                assertEquals(35, monitor.consumerSlotStatus(first.slot()).deliveredBytes());
                assertEquals(30, monitor.consumerSlotStatus(second.slot()).deliveredBytes());
                assertEquals(1, second.controlledPoll((t, b, o, l) -> ControlledMessageHandler.Action.COMMIT, 10));
                assertEquals(new RingCounters(3, 35, 6, 70, 0, 0), monitor.counters(), config::toString);
                final int secondSlot = second.slot();
                second.close();
                try (BroadcastConsumer third = new BroadcastConsumer(file))
                {
                    assertEquals(secondSlot, third.slot(), "the lowest free slot is taken again");
                    assertEquals(new RingCounters(3, 35, 3, 35, 0, 0), monitor.counters(),
                        "the slot's new consumer counts from 0: " + config);
                }
            }
            finally
            {
                Files.deleteIfExists(path);
            }
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

    /**
     * An MPSC consumer asleep in take, woken by two threads of one producer publishing at once: the slots' wake counts
     * in the file add up to exactly the wake calls the producer's eventcount made (and the consumer's to its own), so
     * no thread's count is lost to another's. The test publishes single messages while the consumer sleeps (a value in
     * shared memory says so) until a wake call was made, so the count is not zero; then, 200 times, it lets both
     * threads publish at once to a consumer seen asleep. Which thread makes each wake call is scheduling; the total is
     * printed.
     */
    @Test
    void shouldCountTheWakeCallsOfEveryThreadOfAnMpscProducer() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("counters-mpsc-wake");
        final ExecutorService executor = Executors.newFixedThreadPool(3);
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(4096));
             RingFile monitor = RingFile.openReadOnly(path);
             MpscProducer producer = new MpscProducer(file);
             MpscConsumer consumer = new MpscConsumer(file))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            final AtomicLong received = new AtomicLong();
            final Future<?> consuming = executor.submit(() ->
            {
                while (!Thread.currentThread().isInterrupted())
                {
                    received.addAndGet(consumer.take((t, b, o, l) -> { }, 100, 60, TimeUnit.SECONDS));
                }
                return null;
            });
            long sent = 0;
            while (producer.wakeups().wakeCalls() == 0) // bounded by the deadline: only a hang makes no wake call
            {
                while (consumer.wakeups().notEmpty().waiters() == 0 || received.get() < sent)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "the consumer never slept");
                    Thread.onSpinWait(); // the consumer registers as a sleeper (a value in shared memory)
                }
                assertTrue(producer.offer(1, PAYLOAD, 0, 8));
                sent++;
            }
            final int rounds = 200;
            final CyclicBarrier go = new CyclicBarrier(3);
            final List<Future<?>> senders = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++)
            {
                senders.add(executor.submit(() ->
                {
                    for (int round = 0; round < rounds; round++)
                    {
                        go.await(60, TimeUnit.SECONDS);
                        assertTrue(producer.offer(1, PAYLOAD, 0, 8));
                    }
                    return null;
                }));
            }
            for (int round = 0; round < rounds; round++) // each round both threads signal a consumer that slept
            {
                while (consumer.wakeups().notEmpty().waiters() == 0 || received.get() < sent)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "the consumer stopped at " + received.get() + " of " + sent);
                    Thread.onSpinWait();
                }
                go.await(60, TimeUnit.SECONDS);
                sent += 2;
            }
            for (final Future<?> sender : senders)
            {
                sender.get(60, TimeUnit.SECONDS);
            }
            while (received.get() < sent)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the consumer stopped at " + received.get());
                Thread.sleep(1);
            }
            final long producerCalls = producer.wakeups().wakeCalls();
            final long consumerCalls = consumer.wakeups().wakeCalls();
            consuming.cancel(true); // interrupts take: the consumer thread ends before the ends close
            executor.shutdown();
            assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(producerCalls > 0);
            assertEquals(producerCalls + consumerCalls, monitor.counters().wakeCalls(),
                "every wake call of both producer threads and of the consumer is in the file");
            System.out.println("MPSC wake calls counted in the file: producer " + producerCalls + ", consumer " + consumerCalls);
        }
        finally
        {
            executor.shutdownNow();
            Files.deleteIfExists(path);
        }
    }
}
