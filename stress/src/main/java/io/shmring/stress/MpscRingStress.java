package io.shmring.stress;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.MpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
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
 * The MPSC ring's claim protocol: a producer claims a range by CAS on the tail, CASes the range's zero
 * header to a claim header (negative length), writes the payload and CASes the claim header to the real
 * one (commit) or to padding (abort); the consumer reads frames while their length is positive, zeroes
 * them and release-stores the head. Each nested test runs the real {@code MpscProducer} and
 * {@code MpscConsumer} on a ring in direct memory; an arbiter drains the ring after the actors, so a
 * message the actors did not see yet is checked too.
 */
public final class MpscRingStress
{
    private MpscRingStress()
    {
    }

    /**
     * Invariant: two producers (two instances, each with its own producer table slot) claiming at the
     * same time get distinct, non-overlapping regions, and both messages are delivered whole, once.
     * r1: 1 if the two claimed frames do not overlap; r2: messages delivered, as digits in order.
     */
    @JCStressTest
    @Outcome(id = "1, 12", expect = ACCEPTABLE, desc = "distinct regions, both whole, producer 1 claimed first")
    @Outcome(id = "1, 21", expect = ACCEPTABLE, desc = "distinct regions, both whole, producer 2 claimed first")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "both producers got overlapping regions (claim not atomic)")
    @Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated or torn")
    @State
    public static class ConcurrentClaims extends MpscStressRing
    {
        private final MpscProducer first;
        private final MpscProducer second;
        private int firstIndex;
        private int secondIndex;

        public ConcurrentClaims()
        {
            super(mpsc(128), 0, 24, 24);
            first = new MpscProducer(file);
            second = new MpscProducer(file);
        }

        @Actor
        public void producer1()
        {
            firstIndex = claimPattern(first, 1);
        }

        @Actor
        public void producer2()
        {
            secondIndex = claimPattern(second, 2);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r1 = distinctFrames(firstIndex, lengthOf(1), secondIndex, lengthOf(2)) ? 1 : 0;
            r.r2 = drain();
            close();
        }
    }

    /**
     * Invariant: as {@link ConcurrentClaims}, with one producer instance shared by two threads (each
     * thread holds its own open claim, both claims carry the same slot's marker).
     */
    @JCStressTest
    @Outcome(id = "1, 12", expect = ACCEPTABLE, desc = "distinct regions, both whole, thread 1 claimed first")
    @Outcome(id = "1, 21", expect = ACCEPTABLE, desc = "distinct regions, both whole, thread 2 claimed first")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "both threads got overlapping regions (claim not atomic)")
    @Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated or torn")
    @State
    public static class ConcurrentClaimsSharedProducer extends MpscStressRing
    {
        private final MpscProducer shared;
        private int firstIndex;
        private int secondIndex;

        public ConcurrentClaimsSharedProducer()
        {
            super(mpsc(128), 0, 24, 24);
            shared = new MpscProducer(file);
        }

        @Actor
        public void thread1()
        {
            firstIndex = claimPattern(shared, 1);
        }

        @Actor
        public void thread2()
        {
            secondIndex = claimPattern(shared, 2);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r1 = distinctFrames(firstIndex, lengthOf(1), secondIndex, lengthOf(2)) ? 1 : 0;
            r.r2 = drain();
            close();
        }
    }

    /**
     * Invariant: a committed message is seen whole or not at all while the consumer polls concurrently:
     * the commit CAS is what publishes, so a claim header (negative length) stops the consumer and the
     * payload is complete once the length is positive.
     * r1: delivered by the concurrent poll; r2: 1 if what it delivered was whole; r3: delivered in total.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "not committed yet when polled; delivered later")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "committed message seen whole")
    @Outcome(expect = FORBIDDEN, desc = "claim visible before commit, torn, lost or delivered twice")
    @State
    public static class CommitWholeOrNothing extends MpscStressRing
    {
        private final MpscProducer producer;

        public CommitWholeOrNothing()
        {
            super(mpsc(128), 0, 24);
            producer = new MpscProducer(file);
        }

        @Actor
        public void producer()
        {
            claimPattern(producer, 1);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            r.r1 = pollRecording();
            r.r2 = seen() == 1 ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            drain();
            r.r3 = seen() == 1 ? delivered() : TORN;
            close();
        }
    }

    /**
     * Invariant: an aborted claim leaves no visible record and a commit after the abort is rejected.
     * The producer claims message 1, writes it whole, aborts it, tries to commit it, then sends message
     * 2; the consumer polls concurrently. Message 1 is never delivered, message 2 exactly once, whole.
     * r1: 1 if the commit after abort threw IllegalStateException; r2: what the concurrent polls
     * delivered (digits); r3: what was delivered in total.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "commit rejected; message 2 delivered after the polls")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "commit rejected; padding skipped, message 2 seen")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "commit after abort accepted")
    @Outcome(expect = FORBIDDEN, desc = "aborted claim delivered, message 2 lost, doubled or torn")
    @State
    public static class AbortedClaimInvisible extends MpscStressRing
    {
        private final MpscProducer producer;

        public AbortedClaimInvisible()
        {
            super(mpsc(128), 0, 24, 16);
            producer = new MpscProducer(file);
        }

        @Actor
        public void producer(final III_Result r)
        {
            final int index = producer.tryClaim(1, lengthOf(1));
            MessagePattern.fill(producer.buffer(), index, 1, lengthOf(1));
            producer.abort(index);
            try
            {
                producer.commit(index);
                r.r1 = 0;
            }
            catch (final IllegalStateException expected)
            {
                r.r1 = 1;
            }
            claimPattern(producer, 2);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            pollRecording();
            pollRecording();
            r.r2 = seen();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = drain();
            close();
        }
    }

    /**
     * Invariant: a claim that does not fit before the ring's end is preceded by a padding frame (CASed
     * in by the same claim) and placed at index 0; the consumer skips the padding and sees the wrapped
     * frame whole or not at all. The ring (64 bytes) is prepared so the tail sits at 40, 24 bytes before
     * the end, and the 24-byte message (32-byte frame) must wrap.
     * r1: delivered by the concurrent poll; r2: 1 if that was whole; r3: delivered in total.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "wrapped message not yet committed when polled")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "padding skipped, wrapped message seen whole")
    @Outcome(expect = FORBIDDEN, desc = "padding delivered, wrapped frame torn, lost or doubled")
    @State
    public static class WrapAround extends MpscStressRing
    {
        private final MpscProducer producer;
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[24]);

        public WrapAround()
        {
            super(mpsc(64), 8, 24, 16);
            producer = new MpscProducer(file);
            offerPattern(producer, scratch, 0);
            offerPattern(producer, scratch, 2);
            consumer.poll((t, b, o, l) -> { }, 2);
        }

        @Actor
        public void producer()
        {
            offerPattern(producer, scratch, 1);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            r.r1 = pollRecording();
            r.r2 = seen() == 1 ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            drain();
            r.r3 = seen() == 1 ? delivered() : TORN;
            close();
        }
    }

    /**
     * Invariant: two producers race at the wrap. The ring (128 bytes) is prepared so the tail sits at
     * 104: message 1 (24 bytes, a 32-byte frame) does not fit before the end and must wrap behind a
     * padding frame, message 2 (8 bytes, a 16-byte frame) fits. Whoever claims first, the padding is
     * sized for the tail that claim saw, neither frame overlaps the other or the padding, and both are
     * delivered whole, once, in claim order.
     * r1: messages delivered whole; r2: their order as digits.
     */
    @JCStressTest
    @Outcome(id = "2, 12", expect = ACCEPTABLE, desc = "message 1 wrapped first (padding 24), message 2 after it")
    @Outcome(id = "2, 21", expect = ACCEPTABLE, desc = "message 2 fit first, message 1 wrapped (padding 8)")
    @Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated, torn, or padding delivered")
    @State
    public static class WrapAroundTwoProducers extends MpscStressRing
    {
        private final MpscProducer first;
        private final MpscProducer second;
        private final UnsafeBuffer firstScratch = new UnsafeBuffer(new byte[24]);
        private final UnsafeBuffer secondScratch = new UnsafeBuffer(new byte[24]);

        public WrapAroundTwoProducers()
        {
            super(mpsc(128), 24, 24, 8);
            first = new MpscProducer(file);
            second = new MpscProducer(file);
            for (int i = 0; i < 3; i++)
            {
                offerPattern(first, firstScratch, 0); // 3 frames of 32 bytes
            }
            first.offer(0, firstScratch, 0, 0); // one 8-byte frame: the tail is at 104
            consumer.poll((t, b, o, l) -> { }, 4);
        }

        @Actor
        public void producer1()
        {
            offerPattern(first, firstScratch, 1);
        }

        @Actor
        public void producer2()
        {
            offerPattern(second, secondScratch, 2);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            drain();
            r.r1 = seen() == TORN ? TORN : delivered();
            r.r2 = seen();
            close();
        }
    }

    /**
     * @return true if both claims succeeded and the two frames (header included, aligned) share no byte.
     */
    static boolean distinctFrames(final int firstIndex, final int firstLength, final int secondIndex, final int secondLength)
    {
        if (firstIndex < FrameDescriptor.HEADER_LENGTH || secondIndex < FrameDescriptor.HEADER_LENGTH)
        {
            return false;
        }
        final int firstStart = firstIndex - FrameDescriptor.HEADER_LENGTH;
        final int secondStart = secondIndex - FrameDescriptor.HEADER_LENGTH;
        final int firstEnd = firstStart + FrameDescriptor.alignedFrameLength(firstLength);
        final int secondEnd = secondStart + FrameDescriptor.alignedFrameLength(secondLength);
        return firstEnd <= secondStart || secondEnd <= firstStart;
    }
}
