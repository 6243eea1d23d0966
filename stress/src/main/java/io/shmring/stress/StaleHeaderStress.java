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
 * A producer stalled between its tail CAS and its header CASes whose range the consumer recovered and revoked
 * (docs/LAYOUT.md 5.7 case b) and then consumed: its late header CASes from 0 land one lap on, in the range another
 * producer has just reserved at the same data index, and it then withdraws them (5.4 step 4). Every word a producer
 * writes from 0 is a claim naming it, so the other producer takes such a late claim's place (or finds it withdrawn),
 * never mistakes it for the consumer's recovery padding, and no withdrawal takes away its word: the ring never keeps a
 * zero header below the tail that no slot covers (a wedge: nothing is ever delivered again).
 * <p>
 * Each state stalls producer A (slot 0) in setup, recovers its range with {@code unblock()}, consumes it and moves the
 * tail by one lap to A's data index; the actors then resume A and let producer B (slot 1) claim, write and commit.
 * r1: 1 if A kept a claim (it must not: it was revoked), 0 if it gave its range up; r2: B's claim: 1 committed,
 * 0 ring full or commit rejected, 2 CorruptRingException (a late claim taken for non-zero free space); r3: B's message
 * delivered by the arbiter's drain (-1: torn or foreign); r4: 1 if the drain reached the tail, 0 if the head stays
 * blocked below it.
 */
public final class StaleHeaderStress
{
    private StaleHeaderStress()
    {
    }

    /**
     * Invariant: A's late wrap header at data index 48 (before the change, a padding word equal to the one the
     * consumer's recovery writes there) never makes B give up a range it owns, and A's withdrawal never removes B's
     * header. B's frame (24-byte payload) wraps at the same index as A's did: its header at 48, its frame at 0.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "A withdrew (or B took its late claim's place): B delivered once")
    @Outcome(id = "0, 1, 0, 0", expect = FORBIDDEN, desc = "wedge: B gave up its range for a late header, nothing delivered")
    @Outcome(id = "0, 0, 0, 0", expect = FORBIDDEN, desc = "wedge: B gave up its range for a late header; no room for another")
    @Outcome(id = "., 2, ., .", expect = FORBIDDEN, desc = "a late header taken for non-zero free space: B refused")
    @Outcome(id = "1, ., ., .", expect = FORBIDDEN, desc = "A kept a claim on a range it was revoked from")
    @Outcome(expect = FORBIDDEN, desc = "lost, delivered twice, torn, or not drained")
    @State
    public static class LateWrapHeader extends LateHeaderRing
    {
        public LateWrapHeader()
        {
            super(0, 24, 8, 24);
            claimPattern(b, 1); // [0, 32)
            claimPattern(b, 2); // [32, 48)
            drain();
            stall(3); // [48, 96): wraps, header at 48, frame at 0
            claimPattern(b, 2); // [96, 112): the tail is at data index 48 again
            drain();
        }

        @Actor
        public void stalledProducer(final IIII_Result r)
        {
            r.r1 = resumeStalled();
        }

        @Actor
        public void producer(final IIII_Result r)
        {
            r.r2 = claimMessage3();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            drainRecording(r);
        }
    }

    /**
     * Invariant: as {@link LateWrapHeader} for a frame that does not wrap: A's late claim header (its own marker) at
     * data index 0, where B claims a frame of the same length; B neither gives its range up when A withdraws between
     * B's failed CAS and B's look at the word, nor refuses A's late claim as corruption.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "A withdrew (or B took its late claim's place): B delivered once")
    @Outcome(id = "0, 1, 0, 0", expect = FORBIDDEN, desc = "wedge: B gave up its range for a withdrawn header, nothing delivered")
    @Outcome(id = "0, 0, 0, 0", expect = FORBIDDEN, desc = "wedge: B gave up its range (a late claim withdrawn, or a late claim " +
        "taking B's place); no room for another, or its commit rejected")
    @Outcome(id = "., 2, ., .", expect = FORBIDDEN, desc = "a late claim taken for non-zero free space: B refused")
    @Outcome(id = "1, ., ., .", expect = FORBIDDEN, desc = "A kept a claim on a range it was revoked from")
    @Outcome(expect = FORBIDDEN, desc = "lost, delivered twice, torn, or not drained")
    @State
    public static class LateClaimHeader extends LateHeaderRing
    {
        public LateClaimHeader()
        {
            super(0, 24, 24, 24);
            stall(1); // [0, 32)
            claimPattern(b, 2); // [32, 64): the tail is at data index 0 again
            drain();
        }

        @Actor
        public void stalledProducer(final IIII_Result r)
        {
            r.r1 = resumeStalled();
        }

        @Actor
        public void producer(final IIII_Result r)
        {
            r.r2 = claimMessage3();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            drainRecording(r);
        }
    }

    /**
     * A 64-byte MPSC ring with producer A (slot 0), stalled by {@link #stall}, and producer B (slot 1).
     */
    abstract static class LateHeaderRing extends MpscStressRing
    {
        final MpscProducer b;
        private final MpscProducer stalled;
        private StalledClaim a;

        LateHeaderRing(final int... lengths)
        {
            super(mpsc(64), lengths);
            stalled = new MpscProducer(file);
            b = new MpscProducer(file);
        }

        /**
         * Stall A after its tail CAS for message {@code number}; the consumer then recovers the range (5.7 case b,
         * forced), which revokes it, and consumes the padding.
         */
        final void stall(final int number)
        {
            a = StalledClaim.reserve(stalled, lengthOf(number));
            recoverAndConsume(a);
        }

        /**
         * @return 1 if A kept a claim, 0 if it gave its range up.
         */
        final int resumeStalled()
        {
            return a.finish() < 0 ? 0 : 1;
        }

        /**
         * @return 1 if B claimed, wrote and committed message 3; 0 ring full or commit rejected; 2 CorruptRingException.
         */
        final int claimMessage3()
        {
            try
            {
                return claimPattern(b, 3) >= 0 ? 1 : 0;
            }
            catch (final CorruptRingException corrupt)
            {
                return 2;
            }
        }

        /**
         * Drain; r3 = messages delivered by the drain ({@link #TORN} if torn), r4 = 1 if the head reached the tail.
         */
        final void drainRecording(final IIII_Result r)
        {
            final int before = delivered();
            drain();
            r.r3 = seen() == TORN ? TORN : delivered() - before;
            r.r4 = consumer.isEmpty() ? 1 : 0;
            close();
        }
    }
}
