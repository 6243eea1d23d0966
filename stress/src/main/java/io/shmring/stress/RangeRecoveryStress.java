package io.shmring.stress;

import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.StalledClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The consumer's recovery of a range whose header was never written (docs/LAYOUT.md 5.7 case b) while another writer
 * acts on the same words: a revoked producer's late claim at data index 0, where the recovery pads the range's part after
 * the wrap (step 5), and the range's owner ending its reservation before the recovery revokes it (step 6). The owner is
 * stalled after its tail CAS ({@link StalledClaim}); {@code unblock()} recovers its range without judging it, as a
 * judgement that found it dead would.
 * <p>
 * Invariant of every test here: no committed message is destroyed, none is delivered twice, no claim is kept (so no
 * commit accepted) on a range the consumer recovered, and the ring drains to its tail afterwards with no zero header
 * below the tail that no slot covers (5.9).
 */
public final class RangeRecoveryStress
{
    private RangeRecoveryStress()
    {
    }

    /**
     * Invariant: the padding of a recovered range's part after the wrap (5.7 b step 5) takes the place of a revoked
     * producer's late claim at data index 0, or goes in from 0 once that claim is withdrawn, so the committed message
     * behind the range is delivered once and the ring never keeps a zero header below the tail.
     * <p>
     * Setup (64-byte ring): producer A stalled on [0, 32), recovered, revoked and consumed (its late claim will land at
     * index 0 one lap on); the owner stalled on [48, 96), which wraps: 16 bytes to the ring's end, its frame at index 0;
     * message 2 committed at [96, 112), behind it. Actors: A resumes (its late claim CAS at index 0, then, finding its
     * range revoked, its withdrawal); the consumer recovers the owner's range and polls. The arbiter resumes the owner
     * (it must give its revoked range up) and drains.
     * <p>
     * r1: A, 0 gave its range up, 1 kept a claim, 3 CorruptRingException; r2: the consumer, 1 if {@code unblock()}
     * recovered the owner's range, 0 if not, 3 CorruptRingException; r3: deliveries of message 2 ({@code -1} torn,
     * {@code -2} ring found corrupt); r4: 1 if the owner gave its range up and the ring drained to its tail, consistent.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE,
        desc = "the padding at index 0 went in from 0, or took the late claim's place: message 2 delivered once")
    @Outcome(id = "0, 1, 0, 0", expect = FORBIDDEN, desc = "wedge: the late claim kept index 0 and was withdrawn, leaving " +
        "a zero header below the tail that no slot covers; message 2 never delivered")
    @Outcome(id = "., 3, ., .", expect = FORBIDDEN, desc = "the consumer took the late claim at index 0 for corruption")
    @Outcome(id = "1, ., ., .", expect = FORBIDDEN, desc = "A kept a claim on a range that was revoked from it")
    @Outcome(id = "., 0, ., .", expect = FORBIDDEN, desc = "unblock() did not recover a range no header was ever written to")
    @Outcome(expect = FORBIDDEN, desc = "message 2 lost, delivered twice or torn, or the ring not drained")
    @State
    public static class LateClaimAtWrap extends MpscStressRing
    {
        private final StalledClaim late;
        private final StalledClaim owner;
        private final int setupDeliveries;

        public LateClaimAtWrap()
        {
            super(mpsc(64).withProducerSlots(3), 0, 8, 8);
            final MpscProducer lateProducer = new MpscProducer(file);
            final MpscProducer ownerProducer = new MpscProducer(file);
            final MpscProducer other = new MpscProducer(file);
            late = StalledClaim.reserve(lateProducer, 24); // [0, 32)
            recoverAndConsume(late);
            claimPattern(other, 1); // [32, 48): the tail is 16 bytes before the ring's end
            drain();
            owner = StalledClaim.reserve(ownerProducer, 24); // [48, 96): 16 bytes to the end, the frame at index 0
            claimPattern(other, 2); // [96, 112), committed behind the owner's range
            setupDeliveries = delivered(); // message 1
        }

        @Actor
        public void lateProducer(final IIII_Result r)
        {
            r.r1 = resume(late);
        }

        @Actor
        public void consumer(final IIII_Result r)
        {
            r.r2 = unblockAndPoll();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            final boolean ownerGaveUp = resume(owner) == 0;
            final int record = drainOrMarkCorrupt();
            r.r3 = record < 0 ? record : delivered() - setupDeliveries;
            r.r4 = ownerGaveUp && drainedAndConsistent() ? 1 : 0;
            close();
        }
    }

    /**
     * Invariant: when the owner of a range ends its reservation after its header CAS met the recovery's padding (it takes
     * the range for recovered and claims anew, 5.4 step 4) and so before the consumer's revoke, that revoke fails and
     * changes nothing (5.7 b step 6): the owner's new range stays its own, its message is delivered once, and the ring
     * drains. A revoke that wrote {@code -2} whatever the slot held would meet the owner's reservation lock or its new
     * range.
     * <p>
     * Setup (128-byte ring): the owner stalled on [112, 160), which wraps (16 bytes to the ring's end, its frame at index
     * 0, so the consumer pads twice before it revokes). Actors: the consumer recovers the range and polls; the owner
     * waits until the padding at its range's start is there (or the recovery returned), resumes, and, having given the
     * range up, claims, writes and commits message 3 anew (the producer's real claim and commit).
     * <p>
     * r1: the owner, 1 gave the range up and its new message was committed, 0 gave it up and its new claim failed (ring
     * full, commit rejected), 2 kept a claim in the padded range, 3 CorruptRingException; r2: the consumer, 1 if {@code
     * unblock()} recovered the range, 0 if not, 3 CorruptRingException; r3: deliveries of message 3 ({@code -1} torn,
     * {@code -2} ring found corrupt); r4: 1 if the ring drained to its tail, consistent.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE,
        desc = "revoked first, or the owner ended its reservation first and the revoke failed: message 3 delivered once")
    @Outcome(id = "3, ., ., .", expect = FORBIDDEN, desc = "the owner's claim anew found its slot locked or its range broken: " +
        "a revoke overwrote the reservation it holds now")
    @Outcome(id = "1, ., 0, .", expect = FORBIDDEN, desc = "message 3 committed, never delivered: a revoke " +
        "overwrote the owner's next range, whose withdrawn header left the ring wedged before message 3")
    @Outcome(id = "., ., ., 0", expect = FORBIDDEN, desc = "wedge: a zero header below the tail that no slot covers")
    @Outcome(id = "2, ., ., .", expect = FORBIDDEN, desc = "the owner kept a claim in a range the consumer had padded")
    @Outcome(expect = FORBIDDEN, desc = "not recovered, the owner's new claim refused, message 3 delivered twice or torn")
    @State
    public static class RevokeAfterOwnerGaveUp extends MpscStressRing
    {
        private static final int OWNER_RANGE_INDEX = 112;

        private final MpscProducer producer;
        private final StalledClaim owner;
        private final int setupDeliveries;
        private volatile boolean unblocked;

        public RevokeAfterOwnerGaveUp()
        {
            super(mpsc(128), 0, 24, 8, 24);
            producer = new MpscProducer(file);
            claimPattern(producer, 1);
            claimPattern(producer, 1);
            claimPattern(producer, 1);
            claimPattern(producer, 2); // the tail is at data index 112, 16 bytes before the ring's end
            drain();
            owner = StalledClaim.reserve(producer, 24); // [112, 160): the frame at index 0
            setupDeliveries = delivered(); // three of message 1, and message 2
        }

        @Actor
        public void owner(final IIII_Result r)
        {
            while (file.data().getLongVolatile(OWNER_RANGE_INDEX) == 0 && !unblocked)
            {
                Thread.onSpinWait(); // the recovery's padding is at the range's start: only the end and the revoke race
            }
            try
            {
                if (owner.finish() >= 0)
                {
                    r.r1 = 2;
                    return;
                }
                r.r1 = claimPattern(producer, 3) >= 0 ? 1 : 0;
            }
            catch (final CorruptRingException corrupt)
            {
                r.r1 = 3;
            }
        }

        @Actor
        public void consumer(final IIII_Result r)
        {
            try
            {
                r.r2 = consumer.unblock() ? 1 : 0;
            }
            catch (final CorruptRingException corrupt)
            {
                r.r2 = 3;
            }
            finally
            {
                unblocked = true;
            }
            pollOrMarkCorrupt();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            final int record = drainOrMarkCorrupt();
            r.r3 = record < 0 ? record : delivered() - setupDeliveries;
            r.r4 = drainedAndConsistent() ? 1 : 0;
            close();
        }
    }
}
