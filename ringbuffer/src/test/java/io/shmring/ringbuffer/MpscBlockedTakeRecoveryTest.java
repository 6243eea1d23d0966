package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.Background;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.Eventcount;
import io.shmring.sync.Sleepers;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A consumer asleep in {@code take} (Futex or Semaphore) while the head is blocked by a claim whose producer
 * then dies: no producer ever signals again, yet the consumer recovers the claim after the claim timeout and
 * delivers what was committed behind it. The "dead" producer is made as in {@link MpscRecoveryTest}.
 */
class MpscBlockedTakeRecoveryTest
{
    private static final long CLAIM_TIMEOUT_MS = MpscConsumer.MIN_CLAIM_TIMEOUT_MS;
    /** Deadline of the take: only a hang reaches it. */
    private static final long TAKE_TIMEOUT_SECONDS = 60;

    private RingFile file;
    private MpscConsumer consumer;
    private MpscProducer victim;
    private MpscProducer survivor;
    private Background<Integer> take;
    private final List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() throws InterruptedException
    {
        if (take != null)
        {
            take.close(); // before anything is unmapped: the take may still sleep if the test failed
        }
        if (file != null)
        {
            survivor.close();
            victim.close();
            consumer.close();
        }
        TestRings.closeAndDelete(file);
    }

    private void createRing(final WakeMechanism mechanism)
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        file = RingFile.create(TestRings.uniquePath("mpsc-take-recovery"),
            RingConfig.mpsc(1024).withProducerSlots(4).withWakeMechanism(mechanism));
        consumer = new MpscConsumer(file, CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS, BlockingWaitStrategy.sleepOnly());
        victim = new MpscProducer(file);
        survivor = new MpscProducer(file);
    }

    private void killVictimInTable() throws Exception
    {
        TestParties.makeHolderDead(file, TestParties.slotRecord(file, victim.slot()));
    }

    private Background<Integer> takeInBackground()
    {
        return Background.start("blocked-take",
            () -> consumer.take((typeId, buffer, offset, length) -> delivered.add(typeId), 10, TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS),
            survivor.wakeups()::signalNotEmpty);
    }

    /**
     * Wait until the sleeping consumer has been woken by the survivor's commit and gone back to sleep on the
     * blocked head: its second native sleep.
     */
    private static void awaitSleepingAgain(final Eventcount line) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (line.waitCalls() < 2 || line.waiters() == 0)
        {
            assertTrue(System.nanoTime() < deadline, "consumer never slept again: " + line);
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldRecoverDeadProducersClaimWhileAsleepInTakeAndDeliverWhatFollows(final WakeMechanism mechanism)
        throws Exception
    {
        createRing(mechanism);
        final Eventcount notEmpty = consumer.wakeups().notEmpty();
        take = takeInBackground();
        Sleepers.awaitSleeping(notEmpty);

        assertTrue(victim.tryClaim(99, 8) >= 0);
        assertTrue(survivor.offer(2, new UnsafeBuffer(new byte[8]), 0, 8)); // the last signal anyone sends
        awaitSleepingAgain(notEmpty);
        assertFalse(take.isDone(), "take returned while a live producer's claim blocks the head");
        final long killedAt = System.nanoTime();
        killVictimInTable();

        assertEquals(1, take.get(TAKE_TIMEOUT_SECONDS));
        assertEquals(List.of(2), delivered);
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(0, notEmpty.timeouts(), "take must end by the recovery, not by its timeout: " + notEmpty);
        assertEquals(1, survivor.wakeups().wakeCalls(), "only the survivor's commit signalled");
        System.out.println(mechanism + " take recovered the dead claim " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after the owner died (claim timeout " +
            CLAIM_TIMEOUT_MS + " ms): " + notEmpty);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void shouldRecoverReservationWithoutHeaderWhileAsleepInTake(final WakeMechanism mechanism) throws Exception
    {
        createRing(mechanism);
        final Eventcount notEmpty = consumer.wakeups().notEmpty();
        take = takeInBackground();
        Sleepers.awaitSleeping(notEmpty);

        // the state a producer leaves when it dies between its tail CAS and its header write
        final int slotOffset = RingDescriptor.producerSlotOffset(victim.slot());
        final long tail = file.buffer().getLongVolatile(RingDescriptor.TAIL_OFFSET);
        file.buffer().putLong(slotOffset + ProducerSlotDescriptor.RESERVATION_START_OFFSET, tail);
        file.buffer().putLongVolatile(slotOffset + ProducerSlotDescriptor.RESERVATION_END_OFFSET, tail + 32);
        assertTrue(file.buffer().compareAndSetLong(RingDescriptor.TAIL_OFFSET, tail, tail + 32));
        killVictimInTable();
        assertTrue(survivor.offer(3, new UnsafeBuffer(new byte[8]), 0, 8));

        assertEquals(1, take.get(TAKE_TIMEOUT_SECONDS));
        assertEquals(List.of(3), delivered);
        assertEquals(1, consumer.recoveredClaims());
        assertEquals(0, notEmpty.timeouts(), "take must end by the recovery, not by its timeout: " + notEmpty);
    }
}
