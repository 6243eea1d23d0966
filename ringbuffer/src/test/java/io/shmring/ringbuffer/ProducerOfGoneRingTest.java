package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What LAYOUT 2.3 says of a producer whose ring file is deleted under it: it stops publishing once its heartbeat finds
 * the file gone, and its close releases its role in the deleted file but writes no end of stream (its stream broke
 * off): a consumer that still maps the file reads everything, then reports the ring gone, never a clean end.
 */
class ProducerOfGoneRingTest
{
    /** Only a stopped heartbeat takes this long. */
    private static final long GENEROUS_S = 60;

    private final Path path = TestPaths.uniqueShmPath("gone-producer");
    private final TrackedResources resources = new TrackedResources();

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = { "SPSC", "MPSC" })
    void shouldNotEndTheStreamWhenAProducerThatFoundItsRingGoneCloses(final RingKind kind) throws Exception
    {
        final RingFile file = resources.track(RingFile.create(path, RingKinds.config(kind, 64 * 1024)));
        final Publisher producer = resources.track(RingKinds.producer(kind, file));
        final Subscriber consumer = resources.track(RingKinds.consumer(kind, file));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        for (long i = 1; i <= 2; i++)
        {
            message.putLong(0, i);
            assertTrue(producer.offer(1, message, 0, 8));
        }

        Files.delete(path); // rm
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_S);
        int claim = 0;
        while (claim >= 0 && System.nanoTime() - deadline < 0)
        {
            claim = producer.tryClaim(1, 8);
            if (claim >= 0)
            {
                producer.abort(claim); // published until its beat finds the file gone: aborted here, so nothing more
                Thread.sleep(10);
            }
        }
        assertEquals(Publisher.DESTINATION_GONE, claim, "the producer's beat found the file gone");
        assertThrows(RingGoneException.class, () -> producer.offer(1, message, 0, 8), "it publishes nothing more");
        producer.close();

        assertEquals(PartyStatus.Liveness.FREE, (kind == RingKind.SPSC ? file.producerStatus() : file.producerSlotStatus(0)).liveness(),
            "the close released the role in the deleted file");
        final List<Long> delivered = new ArrayList<>();
        assertEquals(2, consumer.poll((typeId, buffer, offset, length) -> delivered.add(buffer.getLong(offset)), 10));
        assertEquals(List.of(1L, 2L), delivered);
        assertFalse(consumer.isEndOfStream(), "a producer whose ring was deleted broke off: no end of stream");
        final long goneDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_S);
        RingGoneException gone = null;
        while (gone == null && System.nanoTime() - goneDeadline < 0)
        {
            try
            {
                assertEquals(0, consumer.poll((typeId, buffer, offset, length) -> delivered.add(buffer.getLong(offset)), 10));
                Thread.sleep(10); // until the consumer's own beat found the file gone
            }
            catch (final RingGoneException ex)
            {
                gone = ex;
            }
        }
        assertTrue(gone != null, "the consumer reports the ring gone once it has read everything");
        assertEquals(List.of(1L, 2L), delivered, "nothing more, nothing lost");
    }
}
