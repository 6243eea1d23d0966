package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer that finishes the release a killed consumer left (docs/LAYOUT.md 5.6) frees space like any release, so
 * it wakes a producer asleep on the not-full line (4.9). The producer sleeps in slices far longer than the test's
 * deadline: only the consumer's signal can end its sleep in time.
 */
class MpscInterruptedReleaseWakeTest
{
    private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long GUARANTEED_WITHIN_MS = 30_000;

    private final Path path = TestPaths.uniqueShmPath("mpsc-release-wake");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldWakeASleepingProducerWhenFinishingAnInterruptedRelease() throws Exception
    {
        try (RingFile file = RingFile.create(path, new RingConfig(RingKind.MPSC, 64, 8, 1));
            MpscProducer producer = new MpscProducer(file, new BlockingWaitStrategy(0, 0, SLICE_NANOS)))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 4; i++)
            {
                assertTrue(producer.offer(1, payload, 0, 8), "16-byte frame " + i + " fits");
            }
            assertFalse(producer.offer(1, payload, 0, 8), "the ring is full");
            // a consumer killed in the middle of releasing all four: target stored, bytes zeroed, head not moved
            file.buffer().putLongRelease(RingDescriptor.RELEASE_TARGET_OFFSET, 64);
            file.data().setMemory(0, 64, (byte)0);

            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread sleeper = new Thread(() ->
            {
                try
                {
                    outcome.set(producer.offer(2, payload, 0, 8, 2 * SLICE_NANOS, TimeUnit.NANOSECONDS));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "sleeping-producer");
            sleeper.start();
            awaitRegisteredWaiter(file);

            try (MpscConsumer consumer = new MpscConsumer(file))
            {
                sleeper.join(GUARANTEED_WITHIN_MS);
                final boolean woken = !sleeper.isAlive();
                if (!woken)
                {
                    consumer.wakeups().notFull().signal(); // a missed wake: end the 120 s sleep before reporting it
                    sleeper.join(GUARANTEED_WITHIN_MS);
                }
                assertTrue(woken, "the producer asleep on not-full was woken by the finished release");
                assertEquals(Boolean.TRUE, outcome.get(), "the offer succeeded");
                assertEquals(64, file.consumerPosition(), "the release was finished");
            }
        }
    }

    /**
     * Handshake through shared memory: the producer is registered on the not-full line, so from here on it either
     * sees the space the consumer frees or is seen (and woken) by the consumer's signal.
     */
    private static void awaitRegisteredWaiter(final RingFile file) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARANTEED_WITHIN_MS);
        while (file.buffer().getIntVolatile(RingDescriptor.NOT_FULL_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET) != 1)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("the producer never registered on the not-full line");
            }
            Thread.sleep(1);
        }
    }
}
