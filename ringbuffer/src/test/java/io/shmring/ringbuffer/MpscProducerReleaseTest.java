package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A closed MPSC producer is not kept alive by the pool threads that used it: their per-thread state (an open claim, a
 * timed offer's wait condition) reaches it only weakly, so the producer, its file and the file's mapping can be
 * collected while the threads live on.
 */
class MpscProducerReleaseTest
{
    private static final int GC_ATTEMPTS = 20;

    private final Path path = TestPaths.uniqueShmPath("mpsc-release");

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(path);
    }

    @Test
    void shouldNotBeKeptByAPoolThreadThatUsedItAfterClose() throws Exception
    {
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        try
        {
            final WeakReference<MpscProducer> closed = useFromPoolAndClose(pool);
            for (int attempt = 0; attempt < GC_ATTEMPTS && closed.get() != null; attempt++)
            {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(closed.get(), "the pool thread's state still holds the closed producer");
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    private WeakReference<MpscProducer> useFromPoolAndClose(final ExecutorService pool) throws Exception
    {
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(4096)); MpscConsumer consumer = new MpscConsumer(file))
        {
            final MpscProducer producer = new MpscProducer(file);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            assertTrue(pool.submit(() -> producer.offer(1, message, 0, 8, 1, TimeUnit.SECONDS)).get());
            assertTrue(pool.submit(() ->
            {
                final int index = producer.tryClaim(2, 8);
                producer.commit(index);
                return index >= 0;
            }).get());
            producer.close();
            return new WeakReference<>(producer);
        }
    }
}
