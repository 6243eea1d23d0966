package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer that found its ring corrupt while it published broke off: the messages it was given afterwards were never
 * published, so its close must end no stream, or a consumer (a {@code recv} that exits 0 at the end of the stream) would
 * take what it read for the whole stream (issue 14 breaker 8, finding 2). A crash ends no stream either (docs/LAYOUT.md
 * 3, 5.8). Each case has its control: the same producer closed without finding corruption ends the stream.
 */
class CorruptRingBreaksStreamTest
{
    private static final int CAPACITY = 1024;

    private final Path path = TestPaths.uniqueShmPath("corrupt-breaks-stream");
    private final TrackedResources resources = new TrackedResources();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    private boolean streamEnded(final RingFile file)
    {
        return StreamWord.isEnded(file.buffer().getLongVolatile(RingDescriptor.STREAM_OFFSET));
    }

    /** The control of each corrupt case: the same producer, closed without finding corruption, ends the stream. */
    private void assertCleanCloseEndsTheStream(final RingConfig config, final Function<RingFile, Publisher> producerOf)
    {
        final RingFile file = resources.track(RingFile.create(path, config));
        final Publisher producer = producerOf.apply(file);
        assertTrue(producer.offer(1, payload, 0, 8));
        producer.close();
        assertTrue(streamEnded(file), "the control: a clean close of the last producer ends the stream");
    }

    @Test
    void shouldEndTheStreamWhenAnMpscProducerClosesCleanly()
    {
        assertCleanCloseEndsTheStream(RingConfig.mpsc(CAPACITY), MpscProducer::new);
    }

    @Test
    void shouldEndNoStreamWhenAnMpscProducerFoundItsRingCorrupt()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(CAPACITY)));
        final MpscProducer producer = new MpscProducer(file);
        assertTrue(producer.offer(1, payload, 0, 8));
        file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 16 + 3); // not a multiple of 8

        assertThrows(CorruptRingException.class, () -> producer.offer(2, payload, 0, 8));
        producer.close();
        assertFalse(streamEnded(file), "the producer broke off; its close must not end the stream");
    }

    @Test
    void shouldEndTheStreamWhenTheLastOfTwoMpscProducersClosesCleanly()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(CAPACITY)));
        final MpscProducer first = new MpscProducer(file);
        final MpscProducer last = new MpscProducer(file);
        assertTrue(first.offer(1, payload, 0, 8));
        first.close();
        assertFalse(streamEnded(file), "another producer still holds a slot");
        last.close();
        assertTrue(streamEnded(file), "the control: the last clean close ends the stream");
    }

    /**
     * Breaker 9, F2: one producer found a slot's reservation end overwritten (and gave up); the other, closing cleanly
     * as the last one, ended the stream anyway, and recv exited 0 on a ring every end refuses at attach. The last
     * producer to leave now checks the ring first.
     */
    @Test
    void shouldEndNoStreamWhenTheLastProducerLeavesARingWhoseSlotIsCorrupt()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(CAPACITY)));
        final MpscProducer first = new MpscProducer(file);
        final MpscProducer last = new MpscProducer(file);
        assertTrue(first.offer(1, payload, 0, 8));
        first.close();
        file.buffer().putLongVolatile(RingDescriptor.producerSlotOffset(first.slot()) +
            ProducerSlotDescriptor.RESERVATION_END_OFFSET, 0x1234567); // what breaker 9 wrote: no position a slot can hold
        assertNotNull(RingFrames.checkConsistent(file), "the ring is corrupt");

        last.close();
        assertFalse(streamEnded(file), "the last producer left a corrupt ring; the stream must not end cleanly");
    }

    @Test
    void shouldEndTheStreamWhenAnSpscProducerClosesCleanly()
    {
        assertCleanCloseEndsTheStream(RingConfig.spsc(CAPACITY), SpscProducer::new);
    }

    @Test
    void shouldEndNoStreamWhenAnSpscProducerFoundItsRingCorrupt()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.spsc(CAPACITY)));
        final SpscProducer producer = new SpscProducer(file);
        file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, 3); // not a multiple of 8, read once the ring looks full

        final CorruptRingException corrupt = assertThrows(CorruptRingException.class, () ->
        {
            for (int i = 0; i < CAPACITY; i++) // 16 bytes a frame: the cached head runs out within capacity / 16 offers
            {
                producer.offer(1, payload, 0, 8);
            }
        });
        assertTrue(corrupt.getMessage().contains("head"), corrupt.getMessage());
        producer.close();
        assertFalse(streamEnded(file), "the producer broke off; its close must not end the stream");
    }
}
