package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.internal.LinuxHost;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer judged dead while it still runs (docs/LAYOUT.md 5.2 and 5.4: another pid namespace, stopped longer than the
 * staleness period) and the process that registers its slot: neither erases the other's reservation. The interleavings
 * are made by hand, one step at a time, with the steps the code runs ({@link ProducerTable#takeSlot},
 * {@link StalledClaim}).
 */
class MpscSlotTakeoverRaceTest
{
    private final Path path = TestPaths.uniqueShmPath("mpsc-takeover");
    private final TrackedResources resources = new TrackedResources();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    /**
     * 5.2 steps 3-4: a registering process judged the slot's holder dead and its reservation end 0; before its takeover
     * the holder, still running, recorded a range and moved the tail, and then stalls before its header. The
     * registration must not reset that range: the consumer needs it to recover the zero header the range leaves below
     * the tail (a store of 0 left a header no slot covers, which the ring reports corrupt).
     */
    @Test
    void shouldNotEraseARangeTheJudgedHolderRecordedAfterTheJudgement()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(4096).withProducerSlots(2)));
        resources.track(new MpscConsumer(file, MpscConsumer.MIN_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        final MpscProducer judged = resources.track(new MpscProducer(file));
        final ProducerTable table = new ProducerTable(file);
        final int slot = judged.slot();
        final long judgedOwner = table.ownerWord(slot);
        final long judgedEnd = table.reservationEnd(slot);
        assertEquals(0, judgedEnd, "the holder was idle when judged");

        final StalledClaim stalled = StalledClaim.reserve(judged, 8); // the judged holder runs on: a range, the tail moved
        final long rangeEnd = file.buffer().getLongVolatile(RingDescriptor.TAIL_OFFSET);

        assertNull(table.takeSlot(slot, judgedOwner, judgedEnd), "the reservation changed since it was judged");
        assertEquals(rangeEnd, reservationEnd(file, slot), "the holder's range is still recorded");
        assertNull(RingFrames.checkConsistent(file), "the zero header below the tail is covered by a slot");
        assertTrue(stalled.finish() >= 0, "the holder's header went in its own range");
        assertEquals(0, reservationEnd(file, slot), "and it ended its own reservation");
    }

    /**
     * 5.4, before step 1: a producer whose slot another process took over (it was judged dead) claims nothing more in
     * that slot: its reservation is the new holder's now.
     */
    @Test
    void shouldRefuseToClaimInASlotAnotherProcessTookOver() throws Exception
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(4096).withProducerSlots(1)));
        final MpscConsumer consumer = resources.track(new MpscConsumer(file));
        final MpscProducer judged = resources.track(new MpscProducer(file));
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, judged.slot()));
        final MpscProducer successor = resources.track(new MpscProducer(file));
        assertEquals(judged.slot(), successor.slot(), "the one slot was taken over");

        assertThrows(RoleLostException.class, () -> judged.offer(1, payload, 0, 8));
        assertEquals(0, reservationEnd(file, successor.slot()), "the old holder locked nothing in the successor's slot");
        assertTrue(successor.offer(2, payload, 0, 8));
        final List<Integer> types = new ArrayList<>();
        consumer.poll((t, b, o, l) -> types.add(t), 10);
        assertEquals(List.of(2), types);
    }

    /**
     * 5.2 step 2: a holder in another pid namespace, stopped (SIGSTOP, a debugger) while it holds its slot's reservation
     * lock for longer than the staleness period, is judged dead by its heartbeat alone. Breaking its lock would let it,
     * once resumed, record its range over the new holder's: a zero header no slot covers, the ring wedged. The slot is
     * skipped instead.
     */
    @Test
    void shouldNotBreakTheReservationLockOfAHolderJudgedDeadByItsHeartbeatAlone()
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(4096).withProducerSlots(1)));
        resources.track(new MpscConsumer(file));
        final LinuxHost host = LinuxHost.INSTANCE;
        TestParties.writeHolder(file, 0, host.pidNamespace() + 1, 7, host.nowMs() - 10 * host.staleAfterMs());
        lockReservation(file, 0);

        assertThrows(TableFullException.class, () -> new MpscProducer(file), "the one slot is the stopped holder's");
        assertEquals(ProducerSlotDescriptor.RESERVATION_LOCKED, reservationEnd(file, 0), "its lock is still its own");
    }

    /**
     * 5.2 step 2: a holder whose death is known for certain (its pid checked in this pid namespace) held its lock when it
     * died: the registration resets the lock and takes the slot.
     */
    @Test
    void shouldTakeTheLockedSlotOfAHolderKnownDeadByItsPid() throws Exception
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.mpsc(4096).withProducerSlots(1)));
        resources.track(new MpscConsumer(file));
        final LinuxHost host = LinuxHost.INSTANCE;
        TestParties.writeHolder(file, 0, host.pidNamespace(), TestParties.deadPid(), host.nowMs() - 10 * host.staleAfterMs());
        lockReservation(file, 0);

        final MpscProducer successor = resources.track(new MpscProducer(file));
        assertEquals(0, successor.slot());
        assertTrue(successor.offer(1, payload, 0, 8), "the reset reservation serves the new holder");
    }

    private static void lockReservation(final RingFile file, final int slot)
    {
        file.buffer().putLongVolatile(RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.RESERVATION_END_OFFSET,
            ProducerSlotDescriptor.RESERVATION_LOCKED);
    }

    private static long reservationEnd(final RingFile file, final int slot)
    {
        return file.buffer().getLongVolatile(RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.RESERVATION_END_OFFSET);
    }
}
