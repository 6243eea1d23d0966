package io.shmring.stress;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The SPSC ring's publication protocol: the producer writes a frame then release-stores the tail;
 * the consumer acquire-loads the tail, reads the frames below it, then release-stores the head.
 * Each nested test runs the real {@link SpscProducer} and {@link SpscConsumer} on a ring in direct memory.
 */
public final class SpscRingStress
{
    private SpscRingStress()
    {
    }

    /**
     * Invariant: a message is seen whole or not at all. The consumer either sees nothing yet, or one
     * frame whose type, length and every payload byte are what the producer wrote.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "message not yet published")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "message seen whole")
    @Outcome(expect = FORBIDDEN, desc = "torn frame (header or payload seen before the tail release) or duplicate")
    @State
    public static class WholeOrNothing extends StressRing
    {
        public WholeOrNothing()
        {
            super(RingConfig.spsc(1024));
        }

        @Actor
        public void producer()
        {
            offerPattern(1);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            r.r1 = consumer.poll(this::check, 10);
            r.r2 = intact;
        }
    }

    /**
     * Invariant: the zero-copy path publishes only at commit. A claim written in place and committed
     * is seen whole or not at all, exactly as an offer.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "claim not yet committed")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "committed message seen whole")
    @Outcome(expect = FORBIDDEN, desc = "claimed bytes visible before commit, or torn")
    @State
    public static class ClaimCommit extends StressRing
    {
        public ClaimCommit()
        {
            super(RingConfig.spsc(1024));
        }

        @Actor
        public void producer()
        {
            claimPattern(1);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            r.r1 = consumer.poll(this::check, 10);
            r.r2 = intact;
        }
    }

    /**
     * Invariant: order is kept and nothing is lost or doubled. Two messages 1 then 2, two polls: the
     * consumer's sequence, read as digits, is a prefix of "12".
     */
    @JCStressTest
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "nothing published yet")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "first message only")
    @Outcome(id = "12", expect = ACCEPTABLE, desc = "both, in order")
    @Outcome(expect = FORBIDDEN, desc = "lost, reordered, duplicated or torn message")
    @State
    public static class OrderNoLossNoDuplicate extends StressRing
    {
        public OrderNoLossNoDuplicate()
        {
            super(RingConfig.spsc(1024));
        }

        @Actor
        public void producer()
        {
            offerPattern(1);
            offerPattern(2);
        }

        @Actor
        public void consumer(final I_Result r)
        {
            consumer.poll(this::record, 10);
            consumer.poll(this::record, 10);
            r.r1 = seen;
        }
    }

    /**
     * Invariant: the padding frame at the wrap is never delivered and the frame after it, at index 0,
     * is seen whole. The ring (64 bytes) is prepared so the tail sits at 40, 24 bytes before the end,
     * and the 24-byte message (32 aligned) must be preceded by a 24-byte padding frame.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "wrapped message not yet published")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "padding skipped, wrapped message seen whole")
    @Outcome(expect = FORBIDDEN, desc = "padding delivered, or the wrapped frame torn")
    @State
    public static class WrapAround extends StressRing
    {
        public WrapAround()
        {
            super(RingConfig.spsc(64).withMaxMessageLength(PAYLOAD));
            offerPattern(0, 8);
            offerPattern(0, 16);
            consumer.poll((t, b, o, l) -> { }, 2);
        }

        @Actor
        public void producer()
        {
            offerPattern(1);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            r.r1 = consumer.poll(this::check, 10);
            r.r2 = intact;
        }
    }

    /**
     * Invariant: the producer never overwrites a frame the consumer is still reading. The ring starts
     * full; the consumer reads the oldest message while the producer tries to offer into the space
     * that read frees. The message read must be intact whether or not the offer got in.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "offer saw the ring full; consumer read intact")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "offer reused the freed space after the read")
    @Outcome(expect = FORBIDDEN, desc = "offer reused space before the read finished (head released too early)")
    @State
    public static class NoOverwriteWhileReading extends StressRing
    {
        public NoOverwriteWhileReading()
        {
            super(RingConfig.spsc(64).withMaxMessageLength(PAYLOAD));
            offerPattern(1);
            offerPattern(1);
        }

        @Actor
        public void producer(final III_Result r)
        {
            r.r1 = offerPattern(2) ? 1 : 0;
        }

        @Actor
        public void consumer(final III_Result r)
        {
            r.r2 = consumer.poll(this::check, 1);
            r.r3 = intact;
        }
    }

    /**
     * A ring in direct memory with its producer and consumer, and payload patterns whose every byte
     * depends on the message number, so a torn or foreign frame cannot pass {@link #check}.
     */
    abstract static class StressRing
    {
        static final int PAYLOAD = 24;

        final RingFile file;
        final SpscProducer producer;
        final SpscConsumer consumer;
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PAYLOAD]);
        int intact;
        int seen;

        StressRing(final RingConfig config)
        {
            file = RingFile.allocateDirect(config);
            producer = new SpscProducer(file);
            consumer = new SpscConsumer(file);
        }

        boolean offerPattern(final int number)
        {
            return offerPattern(number, PAYLOAD);
        }

        boolean offerPattern(final int number, final int length)
        {
            fill(scratch, 0, number, length);
            return producer.offer(number, scratch, 0, length);
        }

        void claimPattern(final int number)
        {
            final int index = producer.tryClaim(number, PAYLOAD);
            fill(producer.buffer(), index, number, PAYLOAD);
            producer.commit(index);
        }

        void check(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            intact = isPattern(typeId, buffer, offset, length) ? 1 : 0;
        }

        void record(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!isPattern(typeId, buffer, offset, length))
            {
                intact = 0;
                seen = -1;
                return;
            }
            intact = 1;
            seen = seen * 10 + typeId;
        }

        private static void fill(final org.agrona.MutableDirectBuffer buffer, final int offset, final int number, final int length)
        {
            for (int i = 0; i < length; i += Long.BYTES)
            {
                buffer.putLong(offset + i, pattern(number, i));
            }
        }

        private static boolean isPattern(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (typeId == FrameDescriptor.PADDING_TYPE_ID || length != PAYLOAD)
            {
                return false;
            }
            for (int i = 0; i < length; i += Long.BYTES)
            {
                if (buffer.getLong(offset + i) != pattern(typeId, i))
                {
                    return false;
                }
            }
            return true;
        }

        private static long pattern(final int number, final int i)
        {
            return (number * 0x0101010101010101L) ^ ((long)i << 56) ^ 0x5A5A5A5A5A5A5A5AL;
        }
    }
}
