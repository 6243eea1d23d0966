package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attached party beats from the JVM's timer, whatever its own threads do: a consumer asleep in {@code take}
 * and an idle SPSC producer keep their heartbeats fresh, so another process can judge them by heartbeat alone.
 */
class HeartbeatTest
{
    private static final long GENEROUS_MS = 60_000;

    @Test
    void shouldKeepBeatingForAConsumerAsleepInTakeAndForAnIdleSpscProducer() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("heartbeat");
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096));
             SpscConsumer consumer = new SpscConsumer(file, BlockingWaitStrategy.sleepOnly());
             SpscProducer producer = new SpscProducer(file))
        {
            final CompletableFuture<Integer> asleep = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return consumer.take((t, b, o, l) -> { }, 1, GENEROUS_MS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GENEROUS_MS);
            while (consumer.wakeups().notEmpty().waiters() == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            assertEquals(1, consumer.wakeups().notEmpty().waiters(), "the consumer sleeps on the not-empty line");
            final long consumerBeat = TestParties.heartbeat(file, RingDescriptor.CONSUMER_PARTY_OFFSET);
            final long producerBeat = TestParties.heartbeat(file, RingDescriptor.PRODUCER_PARTY_OFFSET);
            while ((TestParties.heartbeat(file, RingDescriptor.CONSUMER_PARTY_OFFSET) == consumerBeat ||
                TestParties.heartbeat(file, RingDescriptor.PRODUCER_PARTY_OFFSET) == producerBeat) &&
                System.nanoTime() - deadline < 0)
            {
                Thread.sleep(PartyDescriptor.HEARTBEAT_INTERVAL_MS);
            }
            assertTrue(TestParties.heartbeat(file, RingDescriptor.CONSUMER_PARTY_OFFSET) > consumerBeat, "beat while asleep in take");
            assertTrue(TestParties.heartbeat(file, RingDescriptor.PRODUCER_PARTY_OFFSET) > producerBeat, "beat while idle");
            assertEquals(1, consumer.wakeups().notEmpty().waiters(), "still asleep: the beats came from the timer");

            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(1, asleep.get(GENEROUS_MS, TimeUnit.MILLISECONDS));
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }
}
