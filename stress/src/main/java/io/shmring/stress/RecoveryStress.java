package io.shmring.stress;

import io.shmring.ringbuffer.ClaimRecoveredException;
import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Recovery of a claim that blocks the MPSC consumer: {@link MpscConsumer#unblock()} turns the claim at
 * the head into padding with a CAS on its header, the same word the owner's commit CASes, so exactly one
 * of them wins. A range whose header was not written yet is recovered through the owner's producer table
 * slot; the owner's header CAS then fails and it claims a new range.
 */
public final class RecoveryStress
{
    private RecoveryStress()
    {
    }

    /**
     * Invariant: unblock racing a producer's claim and commit of the message at the head never destroys
     * a committed message and never delivers one twice. The producer claims, writes and commits message
     * 1; the consumer calls {@code unblock()} then polls; an arbiter drains what is left.
     * r1: 1 committed at the head's frame, 2 committed in a range claimed anew (the first range was
     * recovered before its header went in), 0 commit rejected (IllegalStateException);
     * r2: 1 if unblock recovered something; r3: deliveries of message 1, whole ({@code -1}: torn/foreign).
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "commit first (or nothing claimed yet at unblock): delivered once")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "claim recovered first: commit rejected, never delivered")
    @Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "range recovered before its header: claimed anew, delivered once")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "commit accepted on a claim that was recovered")
    @Outcome(id = "[12], ., 0", expect = FORBIDDEN, desc = "committed message destroyed")
    @Outcome(id = "0, ., 1", expect = FORBIDDEN, desc = "commit rejected, yet the message was delivered")
    @Outcome(expect = FORBIDDEN, desc = "delivered twice, torn, or a recovery/commit combination that cannot happen")
    @State
    public static class UnblockRacesCommit extends MpscStressRing
    {
        private static final int HEAD_FRAME_INDEX = FrameDescriptor.HEADER_LENGTH;

        private final MpscProducer producer;

        public UnblockRacesCommit()
        {
            super(mpsc(128), 0, 24);
            producer = new MpscProducer(file);
        }

        @Actor
        public void producer(final III_Result r)
        {
            final int index = producer.tryClaim(1, lengthOf(1));
            MessagePattern.fill(producer.buffer(), index, 1, lengthOf(1));
            try
            {
                producer.commit(index);
                r.r1 = index == HEAD_FRAME_INDEX ? 1 : 2;
            }
            catch (final ClaimRecoveredException recovered)
            {
                r.r1 = 0;
            }
        }

        @Actor
        public void consumer(final III_Result r)
        {
            r.r2 = consumer.unblock() ? 1 : 0;
            pollRecording();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            drain();
            r.r3 = seen() == TORN ? TORN : delivered();
            close();
        }
    }

    /**
     * Invariant: as {@link UnblockRacesCommit} but the claim is already open (header written) and the
     * owner is only committing: the slow producer's commit CAS and the recovery CAS meet on one word.
     * The claim is made by the producer actor itself (claims are per thread); the consumer waits until
     * the claim header is in place, so what races is exactly the commit against the recovery.
     * r1: 1 committed, 0 commit rejected; r2: 1 if unblock recovered the claim; r3: deliveries, whole.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "commit won: unblock found a committed frame; delivered once")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "recovery won: commit rejected, never delivered")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "commit accepted on a claim that was recovered")
    @Outcome(id = "1, ., 0", expect = FORBIDDEN, desc = "committed message destroyed")
    @Outcome(id = "0, ., 1", expect = FORBIDDEN, desc = "commit rejected, yet the message was delivered")
    @Outcome(expect = FORBIDDEN, desc = "delivered twice, torn, or a recovery/commit combination that cannot happen")
    @State
    public static class UnblockRacesSlowCommit extends MpscStressRing
    {
        private final MpscProducer producer;
        private volatile boolean claimed;

        public UnblockRacesSlowCommit()
        {
            super(mpsc(128), 0, 24);
            producer = new MpscProducer(file);
        }

        @Actor
        public void producer(final III_Result r)
        {
            final int index = producer.tryClaim(1, lengthOf(1));
            MessagePattern.fill(producer.buffer(), index, 1, lengthOf(1));
            claimed = true;
            try
            {
                producer.commit(index);
                r.r1 = 1;
            }
            catch (final ClaimRecoveredException recovered)
            {
                r.r1 = 0;
            }
        }

        @Actor
        public void consumer(final III_Result r)
        {
            while (!claimed)
            {
                Thread.onSpinWait(); // the claim header is in place: only the commit can race the recovery
            }
            r.r2 = consumer.unblock() ? 1 : 0;
            pollRecording();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            drain();
            r.r3 = seen() == TORN ? TORN : delivered();
            close();
        }
    }
}
