package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RingFile#deleteIfAbandoned}, the operator's cleanup: a ring any live process holds a role in is never deleted,
 * unread messages are deleted only when asked, and a process attaching afterwards learns the ring is gone.
 */
class RingFileAbandonedDeletionTest
{
    @Test
    void shouldKeepARingWhoseConsumerLivesEvenWhenForced() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("abandon-live");
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096));
             SpscConsumer consumer = new SpscConsumer(file);
             RingFile cleaner = RingFile.open(path))
        {
            assertFalse(cleaner.deleteIfAbandoned(true));
            assertTrue(Files.exists(path));
            assertEquals(RingDescriptor.RING_LIVE, file.buffer().getIntVolatile(RingDescriptor.RING_STATE_OFFSET),
                "a kept ring is live again");
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldDeleteADeadRingWithUnreadMessagesOnlyWhenForced() throws Exception
    {
        for (final RingConfig config : new RingConfig[]{RingConfig.spsc(4096), RingConfig.mpsc(4096)})
        {
            final Path path = TestPaths.uniqueShmPath("abandon-dead");
            try (RingFile file = RingFile.create(path, config))
            {
                final boolean spsc = config.kind() == RingKind.SPSC;
                final AutoCloseable consumer = spsc ? new SpscConsumer(file) : new MpscConsumer(file);
                final AutoCloseable producer;
                if (spsc)
                {
                    final SpscProducer spscProducer = new SpscProducer(file);
                    assertTrue(spscProducer.offer(1, new UnsafeBuffer(new byte[16]), 0, 16));
                    producer = spscProducer;
                    TestParties.makeHolderDead(file, RingDescriptor.PRODUCER_PARTY_OFFSET);
                }
                else
                {
                    final MpscProducer mpscProducer = new MpscProducer(file);
                    assertTrue(mpscProducer.offer(1, new UnsafeBuffer(new byte[16]), 0, 16));
                    producer = mpscProducer;
                    TestParties.makeHolderDead(file, TestParties.slotRecord(file, mpscProducer.slot()));
                }
                TestParties.makeHolderDead(file, RingDescriptor.CONSUMER_PARTY_OFFSET);

                try (RingFile cleaner = RingFile.open(path))
                {
                    assertFalse(cleaner.deleteIfAbandoned(false), "one unread message: kept unless forced");
                    assertTrue(Files.exists(path));
                    assertTrue(cleaner.deleteIfAbandoned(true));
                    assertFalse(Files.exists(path));
                    assertThrows(RingGoneException.class, () -> (spsc ? new SpscConsumer(file) : new MpscConsumer(file)).close(),
                        "a consumer attaching to the mapping of a deleted ring is told, not left waiting");
                }
                producer.close();
                consumer.close();
            }
            finally
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
