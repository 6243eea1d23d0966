package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producer child JVMs stream {@link TestMessages} into one MPSC ring; this JVM consumes and checks
 * per-producer order, loss and duplication. Throughput is printed, never asserted.
 */
class MpscCrossProcessTest
{
    private static final int CAPACITY = 1 << 20;
    private static final long MESSAGES_PER_PRODUCER = 1_000_000;

    @Test
    void shouldDeliverEveryMessageOfFourProducerProcessesExactlyOnceInOrder() throws Exception
    {
        run(4, MESSAGES_PER_PRODUCER);
    }

    @Test
    void shouldDeliverEveryMessageOfOneAndTwoProducerProcesses() throws Exception
    {
        run(1, MESSAGES_PER_PRODUCER);
        run(2, MESSAGES_PER_PRODUCER);
    }

    private static void run(final int producers, final long messagesPerProducer) throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("mpsc-xproc");
        final List<ProducerProcess> children = new ArrayList<>();
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(CAPACITY).withProducerSlots(8));
            MpscConsumer consumer = new MpscConsumer(file))
        {
            for (int id = 0; id < producers; id++)
            {
                children.add(new ProducerProcess(path, id, messagesPerProducer, "stream", 0));
            }
            final TestMessages.Verifier verifier = new TestMessages.Verifier(producers);
            final long total = producers * messagesPerProducer;
            final long start = System.nanoTime();
            for (final ProducerProcess child : children)
            {
                child.go();
            }
            final long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (verifier.received() < total)
            {
                if (consumer.poll(verifier::onMessage, 1024) == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "timed out: received=" + verifier.received());
                    Thread.onSpinWait();
                }
            }
            final long elapsed = System.nanoTime() - start;
            for (final ProducerProcess child : children)
            {
                child.await("DONE", 30_000);
                assertEquals(0, child.waitFor(30_000));
            }
            for (int id = 0; id < producers; id++)
            {
                assertEquals(messagesPerProducer, verifier.next(id), "producerId=" + id);
            }
            assertEquals(0, consumer.poll(verifier::onMessage, 1024), "nothing beyond the expected messages");
            assertTrue(consumer.isEndOfStream(), "every producer closed and all was consumed");
            assertEquals(0, consumer.recoveredClaims());
            System.out.printf("MPSC cross-process: producers=%d messages=%d payload=%dB elapsed=%.3fs throughput=%.2f M msgs/s%n",
                producers, total, TestMessages.LENGTH, elapsed / 1e9, total * 1e3 / elapsed);
        }
        finally
        {
            for (final ProducerProcess child : children)
            {
                child.close();
            }
            Files.deleteIfExists(path);
        }
    }
}
