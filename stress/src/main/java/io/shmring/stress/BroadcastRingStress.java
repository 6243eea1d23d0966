package io.shmring.stress;

import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.BroadcastStart;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The broadcast ring's protocols, on the real {@link BroadcastProducer} and {@link BroadcastConsumer} over a ring in
 * direct memory of 64 bytes: two 24-byte messages (32 bytes a frame) fill it, so a third is written over the first.
 * Every payload byte depends on the message number, so a torn or overwritten message cannot pass as intact.
 */
public final class BroadcastRingStress
{
    private BroadcastRingStress()
    {
    }

    /**
     * Lossless, two consumers: the producer offers 1, 2, 3; the third fits only over the first, so only once both
     * consumers have read it. Each consumer records the numbers it read, as digits: a prefix of "123".
     */
    @JCStressTest
    @Outcome(id = {
        "2, 0, 0", "2, 0, 1", "2, 0, 12", "2, 1, 0", "2, 1, 1", "2, 1, 12", "2, 12, 0", "2, 12, 1", "2, 12, 12",
        "3, 1, 1", "3, 1, 12", "3, 1, 123", "3, 12, 1", "3, 12, 12", "3, 12, 123", "3, 123, 1", "3, 123, 12", "3, 123, 123"},
        expect = ACCEPTABLE, desc = "each consumer read a prefix of what was published, intact and in order")
    @Outcome(expect = FORBIDDEN, desc = "a lossless consumer missed, repeated, reordered or read a torn message " +
        "(the producer wrote over a message a live consumer had not read)")
    @State
    public static class LosslessNoMissNoRepeat extends StressRing
    {
        final BroadcastConsumer first;
        final BroadcastConsumer second;
        final Digits firstSeen = new Digits(true);
        final Digits secondSeen = new Digits(true);

        public LosslessNoMissNoRepeat()
        {
            super(BroadcastConfig.lossless(2));
            first = new BroadcastConsumer(file);
            second = new BroadcastConsumer(file);
        }

        @Actor
        public void producer(final III_Result r)
        {
            r.r1 = (offerPattern(1) ? 1 : 0) + (offerPattern(2) ? 1 : 0) + (offerPattern(3) ? 1 : 0);
        }

        /**
         * Both consumers on one thread, taking turns (JCStress runs no more actors than the machine has CPUs, and the
         * CI machine has two): the floor is still the slower of two positions.
         */
        @Actor
        public void consumers(final III_Result r)
        {
            first.poll(firstSeen, 1);
            second.poll(secondSeen, 10);
            first.poll(firstSeen, 10);
            second.poll(secondSeen, 10);
            first.poll(firstSeen, 10);
            r.r2 = firstSeen.value;
            r.r3 = secondSeen.value;
        }
    }

    /**
     * Lossless: a consumer joins while the producer, with nobody else reading, writes four messages round the
     * 64-byte ring. The joiner's position must be seen by the producer before it writes over what the joiner reads
     * (the floor's Dekker pair): whatever it reads is an unbroken run of intact messages.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "joined after the last message: nothing to read")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "joined during the traffic, read an unbroken run")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "as above, two messages")
    @Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "as above, three messages")
    @Outcome(id = "1, 4", expect = ACCEPTABLE, desc = "joined before the first message, read all four")
    @Outcome(expect = FORBIDDEN, desc = "a joiner read a torn, repeated or out-of-order message: the producer did not " +
        "see its position and wrote over what it was reading")
    @State
    public static class LosslessJoinIsProtected extends StressRing
    {
        final Digits seen = new Digits(true);

        public LosslessJoinIsProtected()
        {
            super(BroadcastConfig.lossless(2));
        }

        @Actor
        public void producer()
        {
            int number = 1;
            while (number <= 4)
            {
                if (offerPattern(number))
                {
                    number++;
                }
                else
                {
                    Thread.onSpinWait(); // the joiner holds the producer back until it reads or leaves (it always does)
                }
            }
        }

        @Actor
        public void joiner(final II_Result r)
        {
            try (BroadcastConsumer joiner = new BroadcastConsumer(file))
            {
                for (int polls = 0; polls < 200 && seen.last != 4 && seen.value >= 0; polls++)
                {
                    joiner.poll(seen, 10);
                }
            }
            r.r1 = seen.value < 0 ? 0 : 1;
            r.r2 = seen.count;
        }
    }

    /**
     * Lossy: the consumer reads while the producer writes four messages round the 64-byte ring, never waiting, so the
     * third and fourth are written over the first and second, possibly while they are read. Whatever the consumer
     * delivers is intact, in increasing order, and a message it skips is skipped only after it reported a lap.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "not lapped: what it read is intact and in order")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "lapped and told so; what it delivered is intact")
    @Outcome(expect = FORBIDDEN, desc = "a lossy consumer delivered a torn or overwritten message, or skipped messages " +
        "without reporting the lap")
    @State
    public static class LossyNoTornWithoutLap extends StressRing
    {
        final BroadcastConsumer consumer;
        final Digits seen = new Digits(false);
        int lapsReported;
        boolean lapSinceLast;

        public LossyNoTornWithoutLap()
        {
            super(BroadcastConfig.lossy(2));
            consumer = new BroadcastConsumer(file, BroadcastStart.TAIL, lost ->
            {
                lapsReported++;
                lapSinceLast = true;
            }, BlockingWaitStrategy.defaults());
        }

        @Actor
        public void producer()
        {
            for (int number = 1; number <= 4; number++)
            {
                offerPattern(number);
            }
        }

        @Actor
        public void consumer(final II_Result r)
        {
            final Digits checked = new Digits(false)
            {
                @Override
                public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
                {
                    final int previous = seen.last;
                    seen.onMessage(typeId, buffer, offset, length);
                    if (seen.value >= 0 && seen.last != previous + 1 && !lapSinceLast)
                    {
                        seen.value = -1; // a gap nobody was told about
                    }
                    lapSinceLast = false;
                }
            };
            consumer.poll(checked, 10);
            consumer.poll(checked, 10);
            consumer.poll(checked, 10);
            r.r1 = seen.value < 0 ? 0 : 1;
            r.r2 = lapsReported;
        }
    }

    /**
     * Records the message numbers it reads as decimal digits; -1 once a message is torn, out of order, or (if consecutive)
     * not the one after the last.
     */
    static class Digits implements io.shmring.core.MessageHandler
    {
        final boolean consecutive;
        int value;
        int last;
        int count;

        Digits(final boolean consecutive)
        {
            this.consecutive = consecutive;
        }

        @Override
        public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (value < 0)
            {
                return;
            }
            if (!StressRing.isPattern(typeId, buffer, offset, length) || typeId <= last || consecutive && count > 0 && typeId != last + 1)
            {
                value = -1;
                return;
            }
            value = value * 10 + typeId;
            last = typeId;
            count++;
        }
    }

    /**
     * A 64-byte broadcast ring in direct memory and its producer.
     */
    abstract static class StressRing
    {
        static final int PAYLOAD = 24;

        final RingFile file;
        final BroadcastProducer producer;
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PAYLOAD]);

        StressRing(final BroadcastConfig config)
        {
            file = RingFile.allocateDirect(RingConfig.broadcast(64, config).withMaxMessageLength(PAYLOAD));
            producer = new BroadcastProducer(file);
        }

        boolean offerPattern(final int number)
        {
            MessagePattern.fill(scratch, 0, number, PAYLOAD);
            return producer.offer(number, scratch, 0, PAYLOAD);
        }

        static boolean isPattern(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            return MessagePattern.isIntact(typeId, buffer, offset, length, PAYLOAD);
        }
    }
}
