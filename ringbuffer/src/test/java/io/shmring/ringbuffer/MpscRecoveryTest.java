package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;
import io.shmring.ringbuffer.internal.LinuxHost;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery of claims in one JVM: a "dead" owner is made by writing the pid of a process that has
 * exited into a producer's slot, which is exactly what the table holds after its owner is killed.
 * Cross-process kills are in {@link MpscDeadProducerKillTest}.
 */
class MpscRecoveryTest
{
    private static final int CAPACITY = 1024;
    private static final long TIMEOUT_MS = MpscConsumer.MIN_CLAIM_TIMEOUT_MS;

    private Path path;
    private RingFile file;
    private MpscConsumer consumer;
    private MpscProducer victim;
    private MpscProducer survivor;
    private final List<Integer> delivered = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        path = TestPaths.uniqueShmPath("mpsc-recovery");
        file = RingFile.create(path, RingConfig.mpsc(CAPACITY).withProducerSlots(4));
        consumer = new MpscConsumer(file, TIMEOUT_MS, TimeUnit.MILLISECONDS);
        victim = new MpscProducer(file);
        survivor = new MpscProducer(file);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        survivor.close();
        victim.close();
        consumer.close();
        file.close();
        Files.deleteIfExists(path);
    }

    private void killVictimInTable() throws Exception
    {
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, victim.slot()));
    }

    private void offer(final MpscProducer producer, final int typeId)
    {
        assertTrue(producer.offer(typeId, new UnsafeBuffer(new byte[8]), 0, 8));
    }

    private void pollOnce()
    {
        consumer.poll((typeId, buffer, offset, length) -> delivered.add(typeId), 100);
    }

    /**
     * Poll every 5 ms until {@code done} holds; only a hang takes the 30 s deadline.
     */
    private void pollUntil(final BooleanSupplier done, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            pollOnce();
            if (done.getAsBoolean())
            {
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0,
                "no " + what + " within 30 s: delivered=" + delivered + " recoveredClaims=" + consumer.recoveredClaims());
            Thread.sleep(5);
        }
    }

    /**
     * Poll every 5 ms until the consumer recovers a claim, checking before that that only {@code heldBack}
     * (what precedes the blocked head) was delivered.
     *
     * @return System.currentTimeMillis() (the consumer's clock) after the poll that recovered.
     */
    private long pollUntilRecovered(final List<Integer> heldBack) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            pollOnce();
            final long afterMs = System.currentTimeMillis();
            if (consumer.recoveredClaims() > 0)
            {
                return afterMs;
            }
            assertEquals(heldBack, delivered, "nothing behind the blocked head before its recovery");
            assertTrue(System.nanoTime() - deadline < 0, "no recovery within 30 s");
            Thread.sleep(5);
        }
    }

    /**
     * Poll every 5 ms until a poll starts {@code millis} after the first returned, by the consumer's clock: the
     * consumer has then judged a claim blocking the head since that first poll when it was at least that old.
     */
    private void pollPast(final long millis) throws InterruptedException
    {
        pollOnce();
        final long firstMs = System.currentTimeMillis();
        while (System.currentTimeMillis() - firstMs < millis)
        {
            Thread.sleep(5);
        }
        pollOnce();
    }

    /**
     * Write the state a producer leaves when it dies between its tail CAS and its header write.
     */
    private long reserveWithoutHeader(final int alignedLength)
    {
        final AtomicBuffer buffer = file.buffer();
        final int offset = RingDescriptor.producerSlotOffset(victim.slot());
        final long tail = buffer.getLongVolatile(RingDescriptor.TAIL_OFFSET);
        final int toEnd = CAPACITY - ((int)tail & (CAPACITY - 1));
        final long end = tail + (alignedLength > toEnd ? toEnd + alignedLength : alignedLength);
        buffer.putLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET, tail);
        buffer.putLongVolatile(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET, end);
        assertTrue(buffer.compareAndSetLong(RingDescriptor.TAIL_OFFSET, tail, end));
        return tail;
    }

    @Test
    void shouldNeverRecoverClaimOfLiveProducerHeldPastTheTimeout() throws Exception
    {
        final int index = victim.tryClaim(1, 8);
        offer(survivor, 2);
        pollPast(TIMEOUT_MS * 3);
        assertEquals(0, consumer.recoveredClaims());
        assertEquals(List.of(), delivered);

        victim.buffer().putLong(index, 42);
        victim.commit(index);
        pollUntil(() -> delivered.size() == 2, "delivery after the commit");
        assertEquals(List.of(1, 2), delivered);
    }

    /**
     * docs/LAYOUT.md 5.7 Detecting: an owner known dead for certain (its pid checked in this namespace) loses its claim at
     * the first judgement, 50 ms after the claim was first seen blocking, however long the claim timeout: here a day,
     * which the 30 s deadline of the poll loop could never reach.
     */
    @Test
    void shouldRecoverClaimOfOwnerKnownDeadAtTheFirstJudgementWhateverTheTimeoutAndFailItsLateCommit() throws Exception
    {
        consumer.close();
        consumer = new MpscConsumer(file, MpscConsumer.MAX_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        offer(victim, 1);
        final int index = victim.tryClaim(99, 8);
        killVictimInTable();
        offer(survivor, 2);
        offer(survivor, 3);
        final long firstPollMs = System.currentTimeMillis(); // the consumer can first see the blocked head after this

        final long recoveredByMs = pollUntilRecovered(List.of(1));
        assertTrue(recoveredByMs - firstPollMs >= MpscConsumer.JUDGE_INTERVAL_MS,
            "recovered " + (recoveredByMs - firstPollMs) + " ms after the claim could first be seen, before the first judgement");
        pollUntil(() -> delivered.size() == 3, "delivery of what followed the claim");
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(List.of(1, 2, 3), delivered);
        // which refusal depends on whether the victim's heartbeat has seen its record name another pid yet
        final ShmringException late = assertThrows(ShmringException.class, () -> victim.commit(index));
        assertTrue(late instanceof RoleLostException || late instanceof ClaimRecoveredException,
            "the late commit of a claim recovered from an owner judged dead is refused: " + late);
        pollOnce();
        assertEquals(List.of(1, 2, 3), delivered);
    }

    /**
     * docs/LAYOUT.md 5.7 Detecting: an owner whose pid cannot be checked (another pid namespace) and whose heartbeat is
     * stale is judged dead by its heartbeat alone (6.1 point 5), which a stopped process also looks like: its claim is
     * recovered, but only once it has blocked the head for the claim timeout.
     */
    @Test
    void shouldRecoverClaimOfOwnerJudgedDeadByItsHeartbeatAloneOnlyAfterTheClaimTimeout() throws Exception
    {
        final int foreignSlot = 3; // victim and survivor hold 0 and 1
        final LinuxHost host = LinuxHost.INSTANCE;
        TestParties.writeHolder(file, foreignSlot, host.pidNamespace() + 1, 7, host.nowMs() - 10 * host.staleAfterMs());
        offer(survivor, 1);
        final AtomicBuffer buffer = file.buffer();
        final long tail = buffer.getLongVolatile(RingDescriptor.TAIL_OFFSET);
        file.data().putLongVolatile((int)tail & (CAPACITY - 1), FrameHeader.pack(-16, ClaimMarker.of(foreignSlot, 1)));
        assertTrue(buffer.compareAndSetLong(RingDescriptor.TAIL_OFFSET, tail, tail + 16), "the foreign producer's claim");
        offer(survivor, 2);
        final long firstPollMs = System.currentTimeMillis(); // the consumer can first see the blocked head after this

        final long recoveredByMs = pollUntilRecovered(List.of(1));
        assertTrue(recoveredByMs - firstPollMs >= TIMEOUT_MS,
            "recovered " + (recoveredByMs - firstPollMs) + " ms after the claim could first be seen, before the timeout");
        pollUntil(() -> delivered.size() == 2, "delivery of what followed the claim");
        assertEquals(List.of(1, 2), delivered);
        assertEquals(1, consumer.recoveredClaims());
    }

    @Test
    void shouldRecoverClaimWhoseSlotWasTakenOverByANewProducer() throws Exception
    {
        final int index = victim.tryClaim(99, 8);
        assertTrue(index >= 0);
        killVictimInTable();
        try (MpscProducer successor = new MpscProducer(file))
        {
            assertEquals(victim.slot(), successor.slot(), "the dead slot is reused");
            assertTrue(consumer.isProducerAlive(successor.slot(), 60, TimeUnit.SECONDS)); // a heartbeat age only a hang reaches
            offer(successor, 2);
            pollUntil(() -> delivered.size() == 1, "delivery past the recovered claim");
            assertEquals(1, consumer.recoveredClaims());
            assertEquals(List.of(2), delivered);
        }
    }

    @Test
    void shouldRecoverReservationWhoseHeaderWasNeverWritten() throws Exception
    {
        offer(victim, 1);
        reserveWithoutHeader(32);
        killVictimInTable();
        offer(survivor, 2);

        pollUntil(() -> delivered.size() == 2, "delivery past the recovered reservation");
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(List.of(1, 2), delivered);
    }

    /**
     * A consumer spinning on a ring it found empty reads the tail at most once a millisecond (LAYOUT 5.7 Detecting): the
     * polls in between must neither start nor reset the watch of the reservation that appeared meanwhile, or a consumer
     * polling without pause would restart its claim timeout for ever and never recover it.
     */
    @Test
    void shouldRecoverReservationWithoutHeaderWhilePolledWithoutPause() throws Exception
    {
        pollOnce(); // the ring is empty: the consumer's last tail is its head
        reserveWithoutHeader(32);
        killVictimInTable();
        offer(survivor, 2);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.isEmpty())
        {
            pollOnce();
            assertTrue(System.nanoTime() - deadline < 0, "no recovery within 30 s: recoveredClaims=" + consumer.recoveredClaims());
        }
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(List.of(2), delivered);
    }

    @Test
    void shouldRecoverReservationWithoutHeaderThatSpansTheWrap() throws Exception
    {
        for (int i = 0; i < 60; i++) // 60 frames of 16 bytes: the tail stops 64 bytes before the end
        {
            offer(survivor, 0);
            pollOnce();
        }
        delivered.clear();
        final long start = reserveWithoutHeader(128);
        assertEquals(CAPACITY - 64, (int)start & (CAPACITY - 1));
        killVictimInTable();
        offer(survivor, 2);

        pollUntil(() -> delivered.size() == 1, "delivery past the recovered reservation");
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(List.of(2), delivered);
        assertTrue(consumer.isEmpty());
        for (int i = 0; i < CAPACITY; i += 8)
        {
            assertEquals(0L, file.data().getLong(i), "consumed bytes are zeroed: index=" + i);
        }
    }

    @Test
    void shouldNotRecoverReservationOfLiveProducerUnlessUnblocked() throws Exception
    {
        reserveWithoutHeader(16);
        offer(survivor, 2);
        pollPast(TIMEOUT_MS * 2);
        assertEquals(0, consumer.recoveredClaims());
        assertEquals(List.of(), delivered);

        assertTrue(consumer.unblock());
        pollUntil(() -> delivered.size() == 1, "delivery after unblock");
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(List.of(2), delivered);
    }

    @Test
    void shouldUnblockClaimOnRequestAndFailItsLateCommit() throws Exception
    {
        assertFalse(consumer.unblock(), "nothing to unblock in an empty ring");
        final int index = victim.tryClaim(99, 8);
        offer(survivor, 2);
        assertTrue(consumer.unblock());
        assertEquals(1, file.recoveredClaims());
        final ClaimRecoveredException ex = assertThrows(ClaimRecoveredException.class, () -> victim.commit(index));
        assertEquals(index, ex.index());
        assertTrue(ex.getMessage().contains("recovered"), ex.getMessage());
        pollUntil(() -> delivered.size() == 1, "delivery after unblock");
        assertEquals(List.of(2), delivered);
        assertFalse(consumer.unblock());
    }
}
