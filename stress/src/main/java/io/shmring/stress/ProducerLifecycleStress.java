package io.shmring.stress;

import io.shmring.ringbuffer.ConsumerAttachProbe;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingFrames;
import io.shmring.ringbuffer.RoleLostException;
import io.shmring.ringbuffer.SlotTakeover;
import io.shmring.ringbuffer.StalledClaim;
import io.shmring.ringbuffer.StoppedRelease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MPSC producers joining and leaving while other parties act (docs/LAYOUT.md 5.2, 5.4, 5.8): a registration racing the
 * holder it judged dead, and two last producers leaving together while a consumer attaches.
 */
public final class ProducerLifecycleStress
{
    private ProducerLifecycleStress()
    {
    }

    /**
     * Invariant: a registration that judged a slot's holder dead (5.2 step 1) never erases a range that holder, still
     * running, recorded after the judgement (5.4 step 2.3): every zero header below the tail stays covered by a slot, so
     * the consumer can recover it. The holder reserves a range and stops before its header (as if killed there) while
     * the registration takes the slot over.
     * <p>
     * r1: 1 if the holder reserved its range, 0 if it found its role lost first (5.4, before step 1); r2: 1 if the
     * registration holds the slot; r3: 1 if the ring is consistent afterwards (5.9: no uncovered zero header below the
     * tail), 0 if not.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the holder reserved first: the registration's CAS failed, it gave the slot back")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the registration reset the reservation first; the holder then locked it")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "the holder found its role lost before locking its reservation")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "the registration erased the holder's range: a zero header no slot covers")
    @Outcome(expect = FORBIDDEN, desc = "impossible: nothing reserved yet inconsistent, or neither holds the slot")
    @State
    public static class RegistrationAfterJudgement
    {
        private final RingFile file = RingFile.allocateDirect(MpscStressRing.mpsc(64));
        private final MpscProducer holder = new MpscProducer(file);
        private final SlotTakeover registration = SlotTakeover.judge(file, holder.slot());

        @Actor
        public void holder(final III_Result r)
        {
            try
            {
                StalledClaim.reserve(holder, 8);
                r.r1 = 1;
            }
            catch (final RoleLostException lost)
            {
                r.r1 = 0;
            }
        }

        @Actor
        public void registration(final III_Result r)
        {
            r.r2 = registration.takeOver() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = RingFrames.checkConsistent(file) == null ? 1 : 0;
            file.close();
        }
    }

    /**
     * Invariant: the end of the stream reaches a consumer exactly when it attached before that end (5.8): two last
     * producers leaving together leave one end, and a consumer that attached after it (nothing to read, no producer
     * attached: an earlier stream's end) is not told of another one nobody made. The second producer's close is stopped
     * between its release and its end step (JCStress runs as many actors as CPUs, and CI has two); the first closes
     * while the consumer attaches; the second's end step comes last.
     * <p>
     * r1: 1 if the consumer found an ended stream with no producer when it attached; r2: 1 if it reports the end of the
     * stream once both producers left.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "attached before the end: sees it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "attached after the end: an earlier stream's, not reported")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "attached after the end, yet told of an end no producer made")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "attached before the end, never told of it")
    @State
    public static class TwoLastProducersLeave
    {
        private final RingFile file = RingFile.allocateDirect(MpscStressRing.mpsc(64));
        private final MpscProducer first = new MpscProducer(file);
        private final StoppedRelease second = StoppedRelease.release(new MpscProducer(file));
        private MpscConsumer consumer;

        @Actor
        public void first()
        {
            first.close();
        }

        @Actor
        public void consumer(final II_Result r)
        {
            consumer = new MpscConsumer(file);
            r.r1 = ConsumerAttachProbe.attachedAfterAnEnd(consumer) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            second.finish();
            r.r2 = consumer.isEndOfStream() ? 1 : 0;
            file.close();
        }
    }
}
