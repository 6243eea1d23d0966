package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs on one SPSC ring file: 5 million checked messages of 8..1024 bytes each way, verified for
 * order, loss, duplication and content. The measured rate is printed, never asserted.
 */
class SpscCrossProcessTest
{
    private static final int COUNT = 5_000_000;
    private static final int CAPACITY = 1 << 20;
    private static final long TIMEOUT_MS = 150_000;

    private final Path path = TestPaths.uniqueShmPath("spsc-xproc");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldDeliverEveryMessageFromChildProducerInOrder() throws Exception
    {
        try (RingFile file = RingFile.create(path, RingConfig.spsc(CAPACITY).withMaxMessageLength(CheckedMessages.MAX_LENGTH));
            SpscConsumer consumer = new SpscConsumer(file);
            ChildProcess child = ChildProcess.start(
                ChildJvm.builder(SpscCrossProcessChild.class, "produce", path.toString(), String.valueOf(COUNT))))
        {
            final CheckedTraffic.Result result = CheckedTraffic.consume(
                consumer, COUNT, System.currentTimeMillis() + TIMEOUT_MS, child.process()::isAlive);
            System.out.println("SPSC cross-process child->parent, 5M msgs 8..1024 B: " + result);
            assertNull(result.error(), result.error());
            assertEquals(COUNT, result.received());
            assertEquals(0, child.awaitExit(TIMEOUT_MS), "child output: " + child.lines());
            assertEquals(0, consumer.poll((t, b, o, l) -> { }, 1), "no message after the last");
            assertTrue(consumer.isEndOfStream(), "producer closed and everything consumed");
        }
    }

    @Test
    void shouldDeliverEveryMessageToChildConsumerInOrder() throws Exception
    {
        try (RingFile file = RingFile.create(path, RingConfig.spsc(CAPACITY).withMaxMessageLength(CheckedMessages.MAX_LENGTH));
            ChildProcess child = ChildProcess.start(
                ChildJvm.builder(SpscCrossProcessChild.class, "consume", path.toString(), String.valueOf(COUNT))))
        {
            try (SpscProducer producer = new SpscProducer(file))
            {
                CheckedTraffic.produceByOffer(producer, COUNT, System.currentTimeMillis() + TIMEOUT_MS);
            }
            final int exit = child.awaitExit(TIMEOUT_MS);
            final String line = child.awaitLine("CONSUMED", 30_000); // printed before the exit; the reader thread may lag
            System.out.println("SPSC cross-process parent->child, 5M msgs 8..1024 B: " + line);
            assertEquals(0, exit, "child output: " + child.lines());
            assertTrue(line.contains("received=" + COUNT + " ") && line.endsWith(" OK"), line);
            assertEquals(file.producerPosition(), file.consumerPosition());
        }
    }
}
