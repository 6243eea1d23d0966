package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MpscConcurrentTest
{
    private static final int THREADS = 4;
    private static final int MESSAGES_PER_THREAD = 200_000;

    @Test
    void shouldDeliverEveryMessageOnceInOrderFromThreadsSharingAndNotSharingProducers() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("mpsc-threads");
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(64 * 1024).withProducerSlots(4));
            MpscConsumer consumer = new MpscConsumer(file);
            MpscProducer shared = new MpscProducer(file);
            MpscProducer own = new MpscProducer(file))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int producerId = t;
                final MpscProducer producer = t == THREADS - 1 ? own : shared;
                final Thread thread = new Thread(() -> send(producer, producerId, failure), "producer-" + t);
                threads.add(thread);
                thread.start();
            }

            final TestMessages.Verifier verifier = new TestMessages.Verifier(THREADS);
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (verifier.received() < (long)THREADS * MESSAGES_PER_THREAD && failure.get() == null)
            {
                if (consumer.poll(verifier::onMessage, 256) == 0)
                {
                    Thread.yield();
                }
                assertTrue(System.nanoTime() < deadline, "timed out: received=" + verifier.received());
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (failure.get() != null)
            {
                throw new AssertionError(failure.get());
            }
            for (int t = 0; t < THREADS; t++)
            {
                assertEquals(MESSAGES_PER_THREAD, verifier.next(t));
            }
            assertEquals(0, consumer.poll(verifier::onMessage, 256));
            assertTrue(consumer.isEmpty());
            assertEquals(0, consumer.recoveredClaims());
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Mixes offer, tryClaim/commit and tryClaim/abort, so claims of several threads are open at once.
     */
    private static void send(final MpscProducer producer, final int producerId, final AtomicReference<Throwable> failure)
    {
        try
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[TestMessages.LENGTH]);
            long sequence = 0;
            long aborted = -1;
            while (sequence < MESSAGES_PER_THREAD && failure.get() == null)
            {
                final int mode = (int)(sequence % 3);
                if (mode == 0)
                {
                    TestMessages.write(message, 0, producerId, sequence);
                    if (producer.offer(TestMessages.TYPE_ID, message, 0, TestMessages.LENGTH))
                    {
                        sequence++;
                        continue;
                    }
                }
                else
                {
                    final int index = producer.tryClaim(TestMessages.TYPE_ID, TestMessages.LENGTH);
                    if (index >= 0)
                    {
                        if (sequence % 101 == 1 && aborted != sequence)
                        {
                            aborted = sequence;
                            producer.abort(index); // the consumer must never see it; the sequence is sent again
                            continue;
                        }
                        TestMessages.write(producer.buffer(), index, producerId, sequence);
                        producer.commit(index);
                        sequence++;
                        continue;
                    }
                }
                Thread.yield();
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
