package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * The consumer's recovery (docs/LAYOUT.md 5.7) where more than a blocked claim's owner wrote into the slots or the data:
 * a revoked producer's late claim in a recovered range's part after the wrap, or in free space at the head, and a stale
 * range a killed or stopped producer left over the real one (5.7 b step 1), with the real owner judged dead but resuming.
 * The other writers' steps are made by hand, as they write them.
 */
class MpscRangeRecoveryTest
{
    private static final int CAPACITY = 1024;

    private final Path path = TestPaths.uniqueShmPath("mpsc-range");
    private final List<Integer> delivered = new ArrayList<>();
    private RingFile file;
    private MpscConsumer consumer;
    private MpscProducer owner;
    private MpscProducer other;
    private MpscProducer survivor;

    @BeforeEach
    void setUp()
    {
        file = RingFile.create(path, RingConfig.mpsc(CAPACITY).withProducerSlots(4));
        consumer = new MpscConsumer(file, MpscConsumer.MIN_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        owner = new MpscProducer(file);
        other = new MpscProducer(file);
        survivor = new MpscProducer(file);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        survivor.close();
        other.close();
        owner.close();
        consumer.close();
        file.close();
        Files.deleteIfExists(path);
    }

    /**
     * 5.7 b step 5: the owner stalled after its tail CAS on a range that wraps (16 bytes to the ring's end, its frame at
     * index 0); a revoked producer's late claim sits at index 0 when the consumer pads the range, and is withdrawn after.
     * The padding must take the late claim's place: a failed CAS left index 0 zero once the claim was withdrawn, a
     * zero header below the tail that no slot covers (the owner's range was revoked), and the ring delivered nothing more.
     */
    @Test
    void shouldPadTheWrappedPartOfARecoveredRangeOverALateClaim()
    {
        for (int i = 0; i < 7; i++)
        {
            offer(survivor, 1, 128); // 136 bytes each
        }
        offer(survivor, 1, 48); // 56 bytes: the tail is 16 bytes before the ring's end
        poll();
        assertEquals(CAPACITY - 16, consumer.position());

        final StalledClaim stalled = StalledClaim.reserve(owner, 24); // 16 bytes to the end, then 32 at index 0
        final int marker = ClaimMarker.of(other.slot(), PartyDescriptor.generation(new ProducerTable(file).ownerWord(other.slot())));
        final long lateClaim = FrameHeader.pack(-16, marker);
        assertTrue(file.data().compareAndSetLong(0, 0L, lateClaim), "the late claim's CAS from 0");

        assertTrue(consumer.unblock(), "the owner's range was recovered");
        final boolean withdrawn = file.data().compareAndSetLong(0, lateClaim, 0L); // the late producer's withdrawal
        poll();

        assertTrue(consumer.isEmpty(), "the recovered range was consumed to the tail: head=" + consumer.position());
        assertFalse(withdrawn, "the padding took the late claim's place");
        assertEquals(-1, stalled.finish(), "the owner gives its revoked range up");
        offer(survivor, 5, 8);
        delivered.clear();
        poll();
        assertEquals(List.of(5), delivered);
    }

    /**
     * 5.7 b step 1: a producer recorded [0, 16) and was killed after its tail CAS lost to the owner's, which reserved
     * [0, 32) and stopped before its header. Both ranges cover the zero header at the head and both holders are judged
     * dead: the consumer pads up to the lowest covering end that is a frame boundary (the owner's: 16 is inside its
     * range), revokes both ranges and moves on (it stalled for ever, silently, when more than one slot matched). The
     * owner then resumes: padding only to the stale range's end (and revoking only the stale slot) let its late header
     * CAS from 0 land behind the head and its reservation end, and its commit was accepted for a message nobody reads.
     */
    @Test
    void shouldRecoverAZeroHeaderThatAStaleRangeAlsoCoversAndRevokeTheOwnersRange() throws Exception
    {
        final StalledClaim stalled = StalledClaim.reserve(owner, 24); // [0, 32)
        recordStaleRange(other, 0, 16);
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, owner.slot()));
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, other.slot()));

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.position() == 0) // one judgement: the next comes a claim timeout after the head moved
        {
            assertTrue(System.nanoTime() - deadline < 0, "the head stayed at 0 for 30 s");
            poll();
            Thread.sleep(5);
        }
        final int kept = stalled.finish(); // the owner resumes: its header CAS from 0 behind the head succeeds

        assertEquals(-1, kept, "the owner finds its range revoked and gives it up (a claim it kept behind the head " +
            "would be committed and never read)");
        assertEquals(32, consumer.position(), "one padding to the owner's range's end, consumed");
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(ProducerSlotDescriptor.RESERVATION_REVOKED, reservationEnd(other), "the stale range is revoked");
        assertEquals(0, file.data().getLongVolatile(0), "the owner's late claim behind the head was withdrawn");
        assertEquals(0, reservationEnd(owner), "the owner ended its revoked reservation");
        offer(survivor, 9, 8);
        poll();
        assertEquals(List.of(9), delivered);
    }

    /**
     * 5.7 Detecting: a revoked producer's late claim in free space at the head (the head is the tail) blocks nothing:
     * its producer takes it back. Recovering it put padding past the tail, where the next claim found non-zero bytes.
     */
    @Test
    void shouldLeaveALateClaimInFreeSpaceAtTheHeadAlone()
    {
        offer(survivor, 1, 8);
        poll();
        final long head = consumer.position();
        final int marker = ClaimMarker.of(other.slot(), PartyDescriptor.generation(new ProducerTable(file).ownerWord(other.slot())));
        final long lateClaim = FrameHeader.pack(-16, marker);
        assertTrue(file.data().compareAndSetLong((int)head, 0L, lateClaim), "the late claim's CAS from 0");

        assertFalse(consumer.unblock(), "nothing is reserved at the head");
        assertTrue(file.data().compareAndSetLong((int)head, lateClaim, 0L), "the late producer takes its claim back");
        offer(survivor, 2, 24);
        delivered.clear();
        poll();
        assertEquals(List.of(2), delivered);
    }

    /**
     * The owner resumes after the recovery's padding went in, before it is consumed: its header CAS meets padding of
     * its whole range, so it gives the range up. Padding to the stale range's end made it take the shorter padding for
     * non-zero free space and report the ring corrupt.
     */
    @Test
    void shouldPadToTheOwnersRangeEndSoAnOwnerResumingBeforeTheConsumeGivesItUp()
    {
        final StalledClaim stalled = StalledClaim.reserve(owner, 24); // [0, 32)
        recordStaleRange(other, 0, 16);

        assertTrue(consumer.unblock(), "the zero header was recovered");
        assertEquals(-1, stalled.finish(), "the owner gives its recovered range up (no CorruptRingException)");
        assertEquals(FrameHeader.padding(32), file.data().getLongVolatile(0), "one padding up to the owner's range's end");
        poll();

        assertEquals(32, consumer.position());
        assertTrue(consumer.isEmpty());
        offer(survivor, 7, 8);
        delivered.clear();
        poll();
        assertEquals(List.of(7), delivered);
    }

    /**
     * A stale range that ends past the owner's range: the padding stops at the owner's range's end, which the next
     * range a slot records as starting there marks as a frame boundary, and never reaches into that next range. The stale
     * range is not revoked: its end may be that of the next range its holder records (a revocation would take it).
     */
    @Test
    void shouldPadOnlyToTheOwnersRangeEndWhenAStaleRangeEndsPastIt()
    {
        final StalledClaim stalled = StalledClaim.reserve(owner, 24); // [0, 32)
        final StalledClaim next = StalledClaim.reserve(survivor, 8); // [32, 48), its header not written yet
        recordStaleRange(other, 0, 48);

        assertTrue(consumer.unblock(), "the zero header was recovered");
        poll();
        assertEquals(32, consumer.position(), "padding to the owner's range's end only");
        assertEquals(ProducerSlotDescriptor.RESERVATION_REVOKED, reservationEnd(owner), "the owner's range is revoked");
        assertEquals(48, reservationEnd(other), "a stale range ending past the padding is left as it is");
        assertEquals(-1, stalled.finish(), "the owner gives its recovered range up");
        assertEquals(32, next.finish(), "the next range is untouched: its producer keeps its claim");
        assertTrue(next.commit(32, 5), "and commits it");
        poll();
        assertEquals(List.of(5), delivered);
        assertTrue(consumer.isEmpty());
    }

    /**
     * No covering range ends at a frame boundary (made by hand: nothing the protocol writes does this): the consumer
     * does not guess where the frame ends; it reports the ring corrupt, naming the position and the ends, and pads
     * nothing.
     */
    @Test
    void shouldReportCorruptionWhenNoCoveringRangeEndsAtAFrameBoundary()
    {
        StalledClaim.reserve(owner, 24); // the tail at 32
        recordStaleRange(owner, 0, 24);
        recordStaleRange(other, 0, 16);

        final CorruptRingException corrupt = assertThrows(CorruptRingException.class, consumer::unblock);
        assertTrue(corrupt.getMessage().contains("at position=0") && corrupt.getMessage().contains("ends=[24, 16]"),
            corrupt.getMessage());
        assertEquals(0, file.data().getLongVolatile(0), "nothing padded");
        assertEquals(24, reservationEnd(owner), "nothing revoked");
        assertEquals(16, reservationEnd(other), "nothing revoked");
    }

    /**
     * What a producer leaves in its slot when it recorded a range (5.4 step 2.3) and stopped: its start, then its end.
     */
    private void recordStaleRange(final MpscProducer producer, final long start, final long end)
    {
        final int slot = RingDescriptor.producerSlotOffset(producer.slot());
        file.buffer().putLong(slot + ProducerSlotDescriptor.RESERVATION_START_OFFSET, start);
        file.buffer().putLongRelease(slot + ProducerSlotDescriptor.RESERVATION_END_OFFSET, end); // release: start first
    }

    private long reservationEnd(final MpscProducer producer)
    {
        return file.buffer().getLongVolatile(RingDescriptor.producerSlotOffset(producer.slot()) + ProducerSlotDescriptor.RESERVATION_END_OFFSET);
    }

    private void offer(final MpscProducer producer, final int typeId, final int length)
    {
        assertTrue(producer.offer(typeId, new UnsafeBuffer(new byte[length]), 0, length));
    }

    private void poll()
    {
        consumer.poll((typeId, buffer, offset, length) -> delivered.add(typeId), 100);
    }
}
