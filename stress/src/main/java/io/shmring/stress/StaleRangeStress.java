package io.shmring.stress;

import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.StalledClaim;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A zero header below the tail that more than one producer slot covers (docs/LAYOUT.md 5.7 case b, step 1): a producer
 * recorded a range, lost its tail CAS to the producer that really reserved that space, and stopped before it retried,
 * so its stale range lies over the real one. With every holder judged dead the consumer pads up to the lowest covering
 * end that is a frame boundary (the real range's end: a stale end inside the real range is none) and revokes every
 * covering range up to there. (An earlier revision padded to the lowest end and revoked only that slot: this test failed
 * on it.) Here the real owner was judged dead but runs on (a heartbeat gone stale in
 * another pid namespace, or {@code unblock()}): its late header and commit race the recovery.
 */
public final class StaleRangeStress
{
    private StaleRangeStress()
    {
    }

    /**
     * Invariant: recovery through a stale range that ends inside the real owner's range never lets the owner's late
     * claim be committed and lost, never makes the owner report a recovery as corruption, and leaves no zero header
     * below the tail that no slot covers: the owner gives its range up, or its commit is refused, or its message is
     * delivered once; afterwards the ring delivers a new message and drains to its tail.
     * <p>
     * Setup (64-byte ring): the owner stalled on [0, 32) after its tail CAS; a stale range [0, 16) recorded in another
     * slot, whose producer never runs again. Actors: the owner resumes and, if it kept its claim, writes message 1 and
     * commits it (the commit's CAS of 5.5); the consumer recovers what blocks the head ({@code unblock()}, as a judgement
     * that found every covering holder dead) and polls. The arbiter recovers what blocks the head again (the judgement a
     * judgement later, if anything is left), drains, then sends
     * message 2 through a third producer and drains again.
     * <p>
     * r1: the owner, 0 gave its range up, 1 kept its claim and its commit was accepted, 2 kept its claim and its commit
     * was refused (recovered), 3 CorruptRingException; r2: the consumer, 1 if its {@code unblock()} recovered something,
     * 0 if not, 3 CorruptRingException; r3: deliveries of message 1 ({@code -1} torn, {@code -2} ring found corrupt);
     * r4: 1 if message 2 was then delivered once and the ring drained to its tail, consistent.
     */
    @JCStressTest
    @Outcome(id = "0, [01], 0, 1", expect = ACCEPTABLE, desc = "the owner gave its recovered range up; the ring moves on")
    @Outcome(id = "2, [01], 0, 1", expect = ACCEPTABLE, desc = "the owner's claim went in first and was recovered: commit refused")
    @Outcome(id = "1, [01], 1, 1", expect = ACCEPTABLE, desc = "the owner's claim went in first and was committed: delivered once")
    @Outcome(id = "1, ., (0|-1|-2), .", expect = FORBIDDEN, desc = "commit accepted, message 1 never delivered whole: the " +
        "owner's late claim went in behind the head, on bytes the recovery through the stale range had consumed and zeroed")
    @Outcome(id = "3, ., ., .", expect = FORBIDDEN,
        desc = "the owner took the padding to the stale range's end for non-zero free space and reported corruption")
    @Outcome(id = "., 3, ., .", expect = FORBIDDEN, desc = "the consumer found the ring corrupt")
    @Outcome(id = "., ., ., 0", expect = FORBIDDEN, desc = "wedge: a zero header below the tail that no slot covers, or a " +
        "broken frame: nothing after it is ever delivered")
    @Outcome(expect = FORBIDDEN, desc = "message 1 delivered twice or torn")
    @State
    public static class StaleRangeInsideOwnerRange extends MpscStressRing
    {
        private static final int OWNER_PAYLOAD = 24;

        private final MpscProducer ownerProducer;
        private final MpscProducer other;
        private final StalledClaim owner;

        public StaleRangeInsideOwnerRange()
        {
            super(mpsc(64).withProducerSlots(3), 0, OWNER_PAYLOAD, 8);
            ownerProducer = new MpscProducer(file);
            final MpscProducer stale = new MpscProducer(file);
            other = new MpscProducer(file);
            owner = StalledClaim.reserve(ownerProducer, OWNER_PAYLOAD); // [0, 32)
            recordStaleRange(stale, owner.tail(), owner.tail() + 16);
        }

        @Actor
        public void owner(final IIII_Result r)
        {
            try
            {
                final int frameIndex = owner.finish();
                if (frameIndex < 0)
                {
                    r.r1 = 0;
                    return;
                }
                MessagePattern.fill(ownerProducer.buffer(), frameIndex + 8, 1, OWNER_PAYLOAD); // as a claim's payload goes in
                r.r1 = owner.commit(frameIndex, 1) ? 1 : 2;
            }
            catch (final CorruptRingException corrupt)
            {
                r.r1 = 3;
            }
        }

        @Actor
        public void consumer(final IIII_Result r)
        {
            r.r2 = unblockAndPoll();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            unblockAndPoll();
            final int record = drainOrMarkCorrupt();
            r.r3 = record < 0 ? record : delivered();
            final int deliveredBefore = delivered();
            r.r4 = record >= 0 && claimPattern(other, 2) >= 0 && drainOrMarkCorrupt() >= 0 &&
                delivered() == deliveredBefore + 1 && drainedAndConsistent() ? 1 : 0;
            close();
        }

        /**
         * What a producer leaves in its slot when it recorded a range (5.4 step 2.3), lost its tail CAS and stopped.
         */
        private void recordStaleRange(final MpscProducer producer, final long start, final long end)
        {
            final int slot = RingDescriptor.producerSlotOffset(producer.slot());
            file.buffer().putLong(slot + ProducerSlotDescriptor.RESERVATION_START_OFFSET, start);
            file.buffer().putLongRelease(slot + ProducerSlotDescriptor.RESERVATION_END_OFFSET, end); // release: start first
        }
    }
}
