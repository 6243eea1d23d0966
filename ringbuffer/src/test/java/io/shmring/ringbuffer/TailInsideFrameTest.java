package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.shmring.ringbuffer.CorruptRings.send;
import static io.shmring.ringbuffer.CorruptRings.tail;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A tail set by hand inside a committed frame (issue 13 breaker, case 1): it passes every range check, so a producer used
 * to write its next frame (SPSC), or a padding header (MPSC), into that frame's payload, and the consumer then delivered
 * the damaged message as valid. A producer now walks the frames from where the consumers read before its first write
 * and refuses such a tail, writing nothing; and an MPSC producer that meets a committed frame in the range it reserved
 * never pads over it.
 */
class TailInsideFrameTest
{
    /** Eight-byte payloads: frames of 16 bytes at 0, 16, 32, 48, 64. */
    private static final String[] MESSAGES = {"message0", "message1", "message2", "message3", "message4"};
    /** Inside the third frame (32..48). */
    private static final long TAIL_INSIDE_FRAME = 40;

    private RingFile file;

    @AfterEach
    void cleanUp()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldRefuseSpscProducerWhoseTailIsInsideACommittedFrameAndWriteNothing()
    {
        file = CorruptRings.create("tail-inside-spsc", RingConfig.spsc(4096));
        assertProducerRefusedAndConsumerDeliversOnlyWholeFrames(SpscProducer::new, () -> new SpscConsumer(file));
    }

    @Test
    void shouldRefuseMpscProducerWhoseTailIsInsideACommittedFrameAndWriteNothing()
    {
        file = CorruptRings.create("tail-inside-mpsc", RingConfig.mpsc(4096));
        assertProducerRefusedAndConsumerDeliversOnlyWholeFrames(MpscProducer::new, () -> new MpscConsumer(file));
    }

    @Test
    void shouldRefuseLosslessBroadcastProducerWhoseTailIsInsideACommittedFrameAndWriteNothing()
    {
        file = CorruptRings.create("tail-inside-lossless", RingConfig.broadcast(4096, BroadcastConfig.lossless(4)));
        writeMessagesAndMoveTailInsideAFrame(BroadcastProducer::new);
        final byte[] before = snapshot();

        final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> new BroadcastProducer(file));
        assertTailInsideThirdFrame(ex);
        assertArrayEquals(before, snapshot(), "nothing written");
    }

    @Test
    void shouldNotPadOverACommittedFrameTheTailWasMovedOntoAfterTheMpscProducerAttached()
    {
        file = CorruptRings.create("tail-onto-frame-mpsc", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file))
        {
            send(producer, MESSAGES);
            final long secondFrame = file.data().getLong(16);
            file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 16); // onto the second message, whose header is committed

            final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> send(producer, "late"));
            assertEquals("frame header", ex.field());
            assertEquals(16, ex.position());
            assertEquals(secondFrame, ex.value());
            assertEquals(secondFrame, file.data().getLong(16), "the committed header is not padded over");
        }
        try (MpscConsumer consumer = new MpscConsumer(file))
        {
            final CorruptRings.Received received = new CorruptRings.Received();
            consumer.poll(received, 1);
            consumer.poll(received, 1);
            assertEquals(List.of("message0", "message1"), received.texts, "the second message is still delivered");
        }
    }

    private void assertProducerRefusedAndConsumerDeliversOnlyWholeFrames(
        final Function<RingFile, Publisher> producers, final Supplier<Subscriber> consumers)
    {
        writeMessagesAndMoveTailInsideAFrame(producers);
        final byte[] before = snapshot();

        final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> producers.apply(file));
        assertTailInsideThirdFrame(ex);
        assertArrayEquals(before, snapshot(), "nothing written");
        assertEquals(TAIL_INSIDE_FRAME, tail(file));

        final CorruptRings.Received received = new CorruptRings.Received();
        try (Subscriber consumer = consumers.get())
        {
            assertThrows(CorruptRingException.class, () -> consumer.poll(received, 10));
        }
        assertEquals(List.of("message0", "message1"), received.texts, "no damaged message is delivered");
    }

    private void writeMessagesAndMoveTailInsideAFrame(final Function<RingFile, Publisher> producers)
    {
        try (Publisher producer = producers.apply(file))
        {
            send(producer, MESSAGES);
        }
        assertEquals(80, tail(file));
        file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, TAIL_INSIDE_FRAME);
    }

    private static void assertTailInsideThirdFrame(final CorruptRingException ex)
    {
        assertEquals("tail", ex.field());
        assertEquals(TAIL_INSIDE_FRAME, ex.value());
        assertEquals(32, ex.position(), "the frame the tail lies in");
    }

    /**
     * @return the data region and the tail, as bytes.
     */
    private byte[] snapshot()
    {
        final byte[] bytes = new byte[file.capacity() + Long.BYTES];
        file.data().getBytes(0, bytes, 0, file.capacity());
        file.buffer().getBytes(RingDescriptor.TAIL_OFFSET, bytes, file.capacity(), Long.BYTES);
        return bytes;
    }
}
