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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's recovery (docs/LAYOUT.md 5.7) where more than a blocked claim's owner wrote into the slots or the data:
 * a revoked producer's late claim in a recovered range's part after the wrap, or in free space at the head, and a stale
 * range a killed producer left over the real one. The other writers' steps are made by hand, as they write them.
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
     * [0, 32) and died before its header. Both ranges cover the zero header at the head and both holders are dead: the
     * consumer pads up to the lowest covering end that is a frame boundary (the owner's: 16 is inside its range), revokes
     * both ranges and moves on (it stalled for ever, silently, when more than one slot matched).
     */
    @Test
    void shouldRecoverAZeroHeaderThatAStaleRangeAlsoCovers() throws Exception
    {
        final StalledClaim stalled = StalledClaim.reserve(owner, 24); // [0, 32)
        final int staleSlot = RingDescriptor.producerSlotOffset(other.slot());
        file.buffer().putLong(staleSlot + ProducerSlotDescriptor.RESERVATION_START_OFFSET, 0);
        file.buffer().putLongRelease(staleSlot + ProducerSlotDescriptor.RESERVATION_END_OFFSET, 16);
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, owner.slot()));
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, other.slot()));

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!consumer.isEmpty())
        {
            assertTrue(System.nanoTime() - deadline < 0, "the head stayed at " + consumer.position() + " for 30 s");
            poll();
            Thread.sleep(5);
        }

        assertEquals(32, consumer.position());
        assertEquals(1, consumer.recoveredClaims(), "one padding over the owner's whole range");
        assertEquals(-1, stalled.finish(), "the owner gives its revoked range up");
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

    private void offer(final MpscProducer producer, final int typeId, final int length)
    {
        assertTrue(producer.offer(typeId, new UnsafeBuffer(new byte[length]), 0, length));
    }

    private void poll()
    {
        consumer.poll((typeId, buffer, offset, length) -> delivered.add(typeId), 100);
    }
}
