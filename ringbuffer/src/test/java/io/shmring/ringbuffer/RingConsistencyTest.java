package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One rule set for a ring's shared state ({@link RingFrames#checkConsistent}): what {@code stat} reports is what every
 * end refuses when it attaches, and an MPSC ring stalled at a zero header no producer slot covers is corrupt, not a
 * wait for ever (docs/LAYOUT.md 5.7, 5.9). Each ring is hand-corrupted after real traffic.
 */
class RingConsistencyTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    private RingFile file;

    @AfterEach
    void tearDown()
    {
        TestRings.closeAndDelete(file);
    }

    /**
     * An MPSC ring drained to position 48, then its tail raised to 80 by hand: the header at 48 is zero and no slot
     * records a range there.
     */
    private void stallMpscRing()
    {
        file = CorruptRings.create("consistency-stall", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            CorruptRings.send(producer, "sixteen-bytes!!!", "sixteen-bytes!!!");
            assertEquals(2, consumer.poll(new CorruptRings.Received(), 10));
        }
        assertEquals(48, CorruptRings.tail(file));
        file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 80);
    }

    @Test
    void shouldReportAZeroHeaderNoSlotCoversAsCorrupt()
    {
        stallMpscRing();

        final CorruptRingException corrupt = RingFrames.checkConsistent(file);

        assertEquals("frame header", corrupt.field(), corrupt.getMessage());
        assertEquals(48, corrupt.position(), corrupt.getMessage());
    }

    @Test
    void shouldRefuseToAttachAConsumerOrProducerToAStalledRing()
    {
        stallMpscRing();

        assertThrows(CorruptRingException.class, () -> new MpscConsumer(file));
        assertThrows(CorruptRingException.class, () -> new MpscProducer(file));
        assertEquals(0, PartyDescriptor.pid(file.buffer().getLongVolatile(RingDescriptor.CONSUMER_PARTY_OFFSET)),
            "the refused consumer gave its role back");
    }

    @Test
    void shouldEndAnAttachedConsumersWaitAtAStallWithCorruptionAfterTheClaimTimeout()
    {
        file = CorruptRings.create("consistency-watch", RingConfig.mpsc(4096));
        final MpscConsumer consumer = new MpscConsumer(file, MpscConsumer.MIN_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        try (consumer)
        {
            try (MpscProducer producer = new MpscProducer(file))
            {
                CorruptRings.send(producer, "sixteen-bytes!!!", "sixteen-bytes!!!");
            }
            assertEquals(2, consumer.poll(new CorruptRings.Received(), 10));
            file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 80); // after attach: only the watch can see it

            final long deadline = System.nanoTime() + DEADLINE_NS;
            final CorruptRingException corrupt = assertThrows(CorruptRingException.class, () ->
            {
                while (System.nanoTime() - deadline < 0)
                {
                    consumer.poll(new CorruptRings.Received(), 10);
                    Thread.onSpinWait();
                }
            });
            assertEquals(48, corrupt.position(), corrupt.getMessage());
            assertThrows(CorruptRingException.class, () -> consumer.poll(new CorruptRings.Received(), 10), "every later poll fails");
        }
    }

    @Test
    void shouldNotTakeAReservedRangeWhoseHeaderIsNotWrittenYetForAStall()
    {
        file = CorruptRings.create("consistency-reserved", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file))
        {
            final StalledClaim stalled = StalledClaim.reserve(producer, 8); // tail moved, header not written
            assertTrue(CorruptRings.tail(file) > CorruptRings.head(file));

            assertNull(RingFrames.checkConsistent(file));

            assertTrue(stalled.finish() >= 0, "nobody revoked it: the claim is kept");
        }
    }

    @Test
    void shouldReportAnImpossibleReleaseTarget()
    {
        file = CorruptRings.create("consistency-target", RingConfig.mpsc(4096));
        file.buffer().putLongVolatile(RingDescriptor.RELEASE_TARGET_OFFSET, 24); // above head 0 and tail 0

        final CorruptRingException corrupt = RingFrames.checkConsistent(file);

        assertEquals("release target", corrupt.field(), corrupt.getMessage());
        assertThrows(CorruptRingException.class, () -> new MpscConsumer(file));
    }

    @Test
    void shouldReportAReservationEndOutOfRange()
    {
        file = CorruptRings.create("consistency-reservation", RingConfig.mpsc(4096));
        file.buffer().putLongVolatile(RingDescriptor.producerSlotOffset(0) + ProducerSlotDescriptor.RESERVATION_END_OFFSET, 12);

        final CorruptRingException corrupt = RingFrames.checkConsistent(file);

        assertEquals("reservation end", corrupt.field(), corrupt.getMessage());
        assertThrows(CorruptRingException.class, () -> new MpscConsumer(file));
    }

    @Test
    void shouldReportARingStateOtherThanTheThree()
    {
        file = CorruptRings.create("consistency-state", RingConfig.spsc(4096));
        file.buffer().putIntVolatile(RingDescriptor.RING_STATE_OFFSET, 7);

        final CorruptRingException corrupt = RingFrames.checkConsistent(file);

        assertEquals("ring state", corrupt.field(), corrupt.getMessage());
        assertEquals(7, corrupt.value());
        assertThrows(CorruptRingException.class, () -> new SpscConsumer(file));
    }

    @Test
    void shouldRefuseARingMarkedRetiredThatIsStillAtItsPathAtOnceNamingTheState()
    {
        file = CorruptRings.create("consistency-retired", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file))
        {
            CorruptRings.send(producer, "unread");
        }
        file.buffer().putIntVolatile(RingDescriptor.RING_STATE_OFFSET, RingDescriptor.RING_RETIRED);
        final long generation = PartyDescriptor.generation(file.buffer().getLongVolatile(RingDescriptor.CONSUMER_PARTY_OFFSET));

        final CorruptRingException corrupt = assertThrows(CorruptRingException.class, () -> new SpscConsumer(file));

        assertEquals("ring state", corrupt.field(), corrupt.getMessage());
        assertEquals(RingDescriptor.RING_RETIRED, corrupt.value());
        assertEquals(generation + 1,
            PartyDescriptor.generation(file.buffer().getLongVolatile(RingDescriptor.CONSUMER_PARTY_OFFSET)), "one attach, not a loop");
        assertTrue(CorruptRings.tail(file) > CorruptRings.head(file), "the unread message is still there");
    }

    @Test
    void shouldNotCallAHeadReadBeforeTheProducersLappedItCorruptButStillAnImpossiblePair()
    {
        file = CorruptRings.create("consistency-lap", RingConfig.spsc(4096));
        try (SpscProducer producer = new SpscProducer(file); SpscConsumer consumer = new SpscConsumer(file))
        {
            for (int i = 0; i < 600; i++)
            {
                CorruptRings.send(producer, "sixteen-bytes!!!");
                assertEquals(1, consumer.poll(new CorruptRings.Received(), 10));
            }
        }
        final long tail = CorruptRings.tail(file);
        assertTrue(tail - 4096 > 0, "the ring lapped: tail=" + tail);
        // an inspector that read the head (0) before the producers and the consumer moved on, and the tail after
        assertEquals("tail", RingFrames.checkPositions(file, 0, tail).field(), "the pair alone breaks the rule");
        assertNull(RingFrames.checkPositionsOfLiveRing(file, 0, tail), "read again, the ring is consistent");

        file.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, CorruptRings.head(file) + 4096 + 8);
        final CorruptRingException corrupt = RingFrames.checkConsistent(file);
        assertEquals("tail", corrupt.field(), "a pair that stays impossible in every snapshot: " + corrupt.getMessage());
    }

    /**
     * A live MPSC ring, small enough that its tail moves more than a capacity between two reads: the check, run over and
     * over beside a producer and a consumer going flat out, never calls it corrupt. (A check that applied the rule of
     * the reservation ends to a head read before a later snapshot passed called a slot's live range end too far.)
     */
    @Test
    void shouldNeverCallALiveRingCorruptWhileItMovesFast() throws Exception
    {
        file = CorruptRings.create("consistency-live", RingConfig.mpsc(1024));
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            final Thread produce = new Thread(() -> run(failure, stop, () -> producer.offer(1, message, 0, 8)));
            final Thread consume = new Thread(() -> run(failure, stop, () -> consumer.poll((t, b, o, l) -> { }, 64)));
            produce.start();
            consume.start();
            int checks = 0;
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                for (; System.nanoTime() - deadline < 0 && failure.get() == null; checks++)
                {
                    final CorruptRingException corrupt = RingFrames.checkConsistent(file);
                    assertNull(corrupt, () -> "a live ring called corrupt: " + corrupt.getMessage());
                }
            }
            finally
            {
                stop.set(true);
                produce.join();
                consume.join();
            }
            assertNull(failure.get(), () -> "an end failed: " + failure.get());
            System.out.println("live ring checked " + checks + " times; tail moved to " + CorruptRings.tail(file));
        }
    }

    private static void run(final AtomicReference<Throwable> failure, final AtomicBoolean stop, final Runnable step)
    {
        try
        {
            while (!stop.get())
            {
                step.run();
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
