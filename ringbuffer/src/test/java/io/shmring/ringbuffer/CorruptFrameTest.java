package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ControlledMessageHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shmring.ringbuffer.CorruptRings.head;
import static io.shmring.ringbuffer.CorruptRings.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frame headers another writer broke (issue 13, cases 1 and 3): the consumer delivers every valid frame before the bad
 * one, leaves its head on the bad frame's boundary, throws {@link CorruptRingException} naming field and value, and
 * throws again on the next poll. Frames "one", "two", "three" sit at positions 0, 16 and 32.
 */
class CorruptFrameTest
{
    private RingFile file;

    @AfterEach
    void cleanUp()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldRejectSpscFrameLengthNearIntMaxWithoutDeliveringOrMovingTheHead()
    {
        file = CorruptRings.create("corrupt-spsc-len", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            send(producer, "one");
            file.buffer().putInt(8192, 0x7FFFFFFF); // the first frame's length, file offset 8192

            assertFrameRejected(consumer, List.of(), 0, "frame length", 0x7FFFFFFF);
        }
    }

    @Test
    void shouldRejectMpscFrameLengthNearIntMaxWithoutDeliveringOrMovingTheHead()
    {
        file = CorruptRings.create("corrupt-mpsc-len", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one", "two");
            file.data().putLongVolatile(16, FrameHeader.pack(0x7FFFFFFF, 1));

            assertFrameRejected(consumer, List.of("one"), 16, "frame length", 0x7FFFFFFF);
        }
    }

    @Test
    void shouldRejectMpscFrameLongerThanMaxMessageLength()
    {
        file = CorruptRings.create("corrupt-mpsc-max", RingConfig.mpsc(4096).withMaxMessageLength(512));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one", "two", "three");
            file.data().putLongVolatile(0, FrameHeader.pack(4096, 1)); // one 4,088-byte message of the frames after it

            assertFrameRejected(consumer, List.of(), 0, "frame length", 4096);
        }
    }

    @Test
    void shouldRejectPaddingTypeIdOnAFrameInTheMiddleOfAnSpscRing()
    {
        file = CorruptRings.create("corrupt-spsc-pad", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            send(producer, "one", "two", "three");
            file.data().putInt(16 + 4, -1); // "two" would be skipped as padding

            assertFrameRejected(consumer, List.of("one"), 16, "frame length", 11);
        }
    }

    @Test
    void shouldRejectReservedNegativeTypeIdOnAnSpscFrame()
    {
        file = CorruptRings.create("corrupt-spsc-type", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            send(producer, "one", "two", "three");
            file.data().putInt(32 + 4, -5);

            assertFrameRejected(consumer, List.of("one", "two"), 32, "type id", -5);
        }
    }

    @Test
    void shouldRejectClaimMarkerOnACommittedMpscFrame()
    {
        file = CorruptRings.create("corrupt-mpsc-marker", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one", "two");
            final int marker = ClaimMarker.of(0, 1);
            file.data().putLongVolatile(0, FrameHeader.pack(11, marker));

            assertFrameRejected(consumer, List.of(), 0, "type id", marker);
        }
    }

    @Test
    void shouldRejectNegativeMpscLengthWithoutAClaimMarker()
    {
        file = CorruptRings.create("corrupt-mpsc-claim", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one", "two");
            file.data().putLongVolatile(16, FrameHeader.pack(-11, 7));

            assertFrameRejected(consumer, List.of("one"), 16, "claim marker", 7);
        }
    }

    @Test
    void shouldRejectMpscPaddingThatCrossesTheEndOfTheData()
    {
        file = CorruptRings.create("corrupt-mpsc-padlen", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one", "two");
            file.data().putLongVolatile(16, FrameHeader.padding(8192));

            assertFrameRejected(consumer, List.of("one"), 16, "frame length", 8192);
        }
    }

    @Test
    void shouldRejectBadFrameInControlledPollToo()
    {
        file = CorruptRings.create("corrupt-spsc-ctl", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            send(producer, "one", "two", "three");
            file.data().putInt(16, 4000); // past the tail

            final CorruptRings.Received received = new CorruptRings.Received();
            final ControlledMessageHandler handler = (typeId, buffer, offset, length) ->
            {
                received.onMessage(typeId, buffer, offset, length);
                return ControlledMessageHandler.Action.CONTINUE;
            };
            final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> consumer.controlledPoll(handler, 10));
            assertEquals(16, ex.position());
            assertEquals(List.of("one"), received.texts);
            assertEquals(16, head(file));
            assertThrows(CorruptRingException.class, () -> consumer.controlledPoll(handler, 10));
            assertEquals(List.of("one"), received.texts);
        }
    }

    @Test
    void shouldRefuseSpscConsumerWhoseHeadIsFarBelowTailMinusCapacity()
    {
        file = CorruptRings.create("corrupt-spsc-lap", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file))
        {
            lapTheRing(producer, new SpscConsumer(file));
            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, 0); // three laps behind: stale frames, out of order

            final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> new SpscConsumer(file));
            assertEquals("tail", ex.field());
            assertEquals(0, head(file), "the bad head is left as it was");
            assertTrue(file.consumerStatus().liveness() == io.shmring.ringbuffer.liveness.PartyStatus.Liveness.FREE,
                "the refused consumer gives its role back");
        }
    }

    @Test
    void shouldRefuseMpscConsumerWhoseHeadIsFarBelowTailMinusCapacity()
    {
        file = CorruptRings.create("corrupt-mpsc-lap", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file))
        {
            lapTheRing(producer, new MpscConsumer(file));
            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, 0);

            final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> new MpscConsumer(file));
            assertEquals("tail", ex.field());
            assertEquals(0, head(file));
        }
    }

    /**
     * Move both positions three laps on, then detach the consumer.
     */
    private static void lapTheRing(final io.shmring.core.Publisher producer, final io.shmring.core.Subscriber consumer)
    {
        final CorruptRings.Received received = new CorruptRings.Received();
        for (int i = 0; i < 3 * 4096 / 64; i++)
        {
            send(producer, "x".repeat(50));
            consumer.poll(received, 10);
        }
        consumer.close();
        assertEquals(3 * 4096 / 64, received.texts.size());
    }

    private void assertFrameRejected(
        final io.shmring.core.Subscriber consumer, final List<String> deliveredFirst, final long badPosition,
        final String field, final long value)
    {
        final CorruptRings.Received received = new CorruptRings.Received();
        final CorruptRingException ex = assertThrows(CorruptRingException.class, () -> consumer.poll(received, 10));
        assertEquals(field, ex.field(), ex.getMessage());
        assertEquals(value, ex.value(), ex.getMessage());
        assertEquals(badPosition, ex.position(), ex.getMessage());
        assertEquals(file.path(), ex.path());
        assertEquals(deliveredFirst, received.texts, "every valid frame before the bad one is delivered, nothing else");
        assertEquals(badPosition, head(file), "the head stops on the bad frame's boundary");

        assertThrows(CorruptRingException.class, () -> consumer.poll(received, 10), "a later poll throws again");
        assertEquals(deliveredFirst, received.texts, "nothing is skipped silently");
        assertEquals(badPosition, head(file));
    }
}
