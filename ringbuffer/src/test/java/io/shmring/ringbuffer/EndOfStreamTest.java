package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a stream belongs to the stream it ended (docs/LAYOUT.md sections 3 and 5.8): a consumer never takes an
 * earlier stream's end for the current one's, and a producer joining an ended stream starts the next.
 */
class EndOfStreamTest
{
    private final Path path = TestPaths.uniqueShmPath("eos");
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        Files.deleteIfExists(path);
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    @Test
    void shouldNotReportAnEarlierStreamsEndToAConsumerThatAttachesToTheDrainedRing()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.spsc(4096)));
        try (SpscProducer first = new SpscProducer(file))
        {
            assertTrue(first.offer(1, payload, 0, 8));
        }
        try (SpscConsumer reader = new SpscConsumer(file))
        {
            assertEquals(1, reader.poll((t, b, o, l) -> { }, 10));
            assertTrue(reader.isEndOfStream(), "it read the stream to its end");
        }

        final SpscConsumer late = track(new SpscConsumer(file));
        assertFalse(late.isEndOfStream(), "attached to a drained ring: that end was an earlier stream's");
        try (SpscProducer second = new SpscProducer(file))
        {
            assertTrue(second.offer(2, payload, 0, 8));
            assertFalse(late.isEndOfStream());
        }
        final List<Integer> types = new ArrayList<>();
        late.poll((t, b, o, l) -> types.add(t), 10);
        assertEquals(List.of(2), types);
        assertTrue(late.isEndOfStream(), "the stream it read has ended");
    }

    @Test
    void shouldReportTheEndOfAStreamWhoseMessagesWereStillUnreadWhenTheConsumerAttached()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.spsc(4096)));
        try (SpscProducer producer = new SpscProducer(file))
        {
            assertTrue(producer.offer(1, payload, 0, 8));
        }
        final SpscConsumer consumer = track(new SpscConsumer(file));
        assertFalse(consumer.isEndOfStream(), "a message is still unread");
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 10));
        assertTrue(consumer.isEndOfStream());
    }

    @Test
    void shouldStartANewMpscStreamWhenAProducerJoinsAfterTheLastOneClosed()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.mpsc(4096)));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        try (MpscProducer a = new MpscProducer(file))
        {
            assertTrue(a.offer(1, payload, 0, 8));
        }
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 10));
        assertTrue(consumer.isEndOfStream(), "its only producer closed and all was read");

        final MpscProducer b = track(new MpscProducer(file));
        assertFalse(consumer.isEndOfStream(), "a producer joined: a new stream is open");
        assertTrue(b.offer(2, payload, 0, 8));
        b.close();
        assertFalse(consumer.isEndOfStream(), "the new stream's message is unread");
        assertEquals(1, consumer.poll((t, b2, o, l) -> { }, 10));
        assertTrue(consumer.isEndOfStream());
    }

    @Test
    void shouldNotEndAnMpscStreamWhileAnotherOfItsProducersIsAttached()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.mpsc(4096)));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        final MpscProducer staying = track(new MpscProducer(file));
        try (MpscProducer leaving = new MpscProducer(file))
        {
            assertTrue(leaving.offer(1, payload, 0, 8));
        }
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 10));
        assertFalse(consumer.isEndOfStream(), "one producer left; the other is still attached");
        assertTrue(staying.offer(2, payload, 0, 8));
        staying.close();
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 10));
        assertTrue(consumer.isEndOfStream());
    }

    /**
     * docs/LAYOUT.md 5.2: the last of two producers found no slot held and read the stream word; the second registered
     * and read it not ended; only then did the first's end CAS go in. A consumer attaching now, with nothing to read,
     * remembers that end as an earlier stream's. The end of the second producer's stream must still reach it.
     * The first producer's late end CAS is made here by hand, exactly as its close makes it.
     */
    @Test
    void shouldReportAnMpscEndWhenAnEarlierProducersEndLandedAfterTheLastProducerJoined()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.mpsc(4096)));
        final MpscProducer last = track(new MpscProducer(file));
        final long joined = file.buffer().getLongVolatile(RingDescriptor.STREAM_OFFSET);
        assertFalse(StreamWord.isEnded(joined), "the last producer joined an open stream");
        assertTrue(file.buffer().compareAndSetLong(RingDescriptor.STREAM_OFFSET, joined, StreamWord.ended(joined)),
            "the earlier producer's end lands after the join");

        final MpscConsumer consumer = track(new MpscConsumer(file));
        assertFalse(consumer.isEndOfStream(), "a producer still holds a slot");
        assertTrue(last.offer(7, payload, 0, 8));
        final List<Integer> types = new ArrayList<>();
        assertEquals(1, consumer.poll((t, b, o, l) -> types.add(t), 10));
        last.close();

        assertEquals(List.of(7), types);
        assertTrue(consumer.isEndOfStream(), "the stream it read has ended: its last producer closed");
    }

    /**
     * docs/LAYOUT.md 5.2 and 5.8: the two last producers release their slots together; the first finds no slot held and
     * ends the stream; a consumer attaches to the drained ring, its stream ended, no producer attached, and takes that end
     * for an earlier stream's. The second producer's end step then comes: it must not leave a new end for a stream the
     * consumer never saw (an end of stream with no producer). The second producer is stopped between its release and
     * its end step by hand; the end step is its own.
     */
    @Test
    void shouldNotReportAnEndToAConsumerThatAttachedAfterTwoLastProducersReleasedTogether()
    {
        final RingFile file = track(RingFile.create(path, RingConfig.mpsc(4096)));
        final MpscProducer first = track(new MpscProducer(file));
        final MpscProducer second = track(new MpscProducer(file));
        final StoppedRelease stopped = StoppedRelease.release(second);
        first.close(); // finds no slot held: ends the stream

        final MpscConsumer consumer = track(new MpscConsumer(file));
        stopped.finish();
        assertFalse(consumer.isEndOfStream(), "attached after both producers left: that end was an earlier stream's");

        try (MpscProducer next = new MpscProducer(file))
        {
            assertTrue(next.offer(3, payload, 0, 8));
        }
        final List<Integer> types = new ArrayList<>();
        assertEquals(1, consumer.poll((t, b, o, l) -> types.add(t), 10));
        assertEquals(List.of(3), types);
        assertTrue(consumer.isEndOfStream(), "the stream it read has ended");
    }
}
