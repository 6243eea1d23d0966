package io.shmring.stress;

import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The eventcount's Dekker pair, over a real ring: the waiter registers (atomic add to the waiter count),
 * clears the wake-pending flag, fences, and re-checks the ring; the notifier publishes, fences, reads the
 * waiter count and wakes if it is non-zero. Either the waiter's re-check sees the publication, or the
 * notifier sees the waiter and wakes it. The waiter is the real ring end's blocking call ({@code take},
 * timed {@code offer}) through {@link SleepDecisionProbe}, which records the decision to sleep instead of
 * making the native wait; the notifier is the real publication with its {@code RingWakeups} signal, and
 * "wake issued" is that signal's native wake call count.
 * <p>
 * <p>
 * Which Dekker pair runs is what the ring's layout version and this JVM select ({@link WakeModes}): by default, on Linux
 * 4.16 or later, the notifier's signal skips its fence (program order only between the publication and the waiter-count
 * read) and the waiter issues membarrier(GLOBAL_EXPEDITED) between its registration and its re-check; with
 * {@code -jvmArgs -Dshmring.stress.wakeProtocol=FENCED} the ring is layout version 2 (the library's default) and both sides
 * fence. Each state checks it.
 * <p>
 * Results in every test: r1 = 1 if the waiter decided to sleep; r2 = 1 if the notifier issued a wake;
 * r3 = where the waiter saw the other side's publication: 1 at its first attempt (never registered),
 * 2 at its re-check after registering, 0 not before deciding.
 */
public final class WakeProtocolStress
{
    private static final long TIMEOUT_SECONDS = 10; // never waited on: the probe stands in for the sleep

    private WakeProtocolStress()
    {
    }

    /**
     * Invariant: a consumer never decides to sleep while a message is present and no wake was issued.
     * The consumer takes from an empty ring while the producer offers one message.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "message there at the first poll: no registration, no wake")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "re-check saw the message; producer read the count before registration")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "re-check saw the message; producer saw the waiter and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "consumer decided to sleep; producer saw it registered and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "lost wakeup: consumer sleeps with a message present and no wake issued")
    @Outcome(expect = FORBIDDEN, desc = "wake without a registered waiter, or the message not delivered")
    @State
    public static class ConsumerSleepsVsPublish extends WakeRing
    {
        public ConsumerSleepsVsPublish()
        {
            super(false);
        }

        @Actor
        public void producer(final III_Result r)
        {
            producer.offer(1, scratch, 0, PAYLOAD);
            r.r2 = producer.wakeups().notEmpty().wakeCalls() > 0 ? 1 : 0;
            probe.notifierDone();
        }

        @Actor
        public void consumer(final III_Result r)
        {
            probe.record(r, takeOne() == 1);
        }
    }

    /**
     * Invariant: the same for a producer blocked on a full ring, on the ring's other wake line: it never
     * decides to sleep while the consumer has freed space and no wake was issued. The ring starts full;
     * the producer makes a timed offer while the consumer polls one message.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "space there at the first offer: no registration, no wake")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "re-check saw the space; consumer read the count before registration")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "re-check saw the space; consumer saw the waiter and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "producer decided to sleep; consumer saw it registered and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "lost wakeup: producer sleeps with space free and no wake issued")
    @Outcome(expect = FORBIDDEN, desc = "wake without a registered waiter, or the offer failed")
    @State
    public static class ProducerSleepsVsFree extends WakeRing
    {
        public ProducerSleepsVsFree()
        {
            super(true);
            producer.offer(1, scratch, 0, PAYLOAD);
            producer.offer(1, scratch, 0, PAYLOAD);
        }

        @Actor
        public void producer(final III_Result r)
        {
            probe.record(r, timedOffer());
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.poll((t, b, o, l) -> { }, 1);
            r.r2 = consumer.wakeups().notFull().wakeCalls() > 0 ? 1 : 0;
            probe.notifierDone();
        }
    }

    /**
     * Invariant: a wake left pending by an earlier round (the flag a notifier sets so that it makes one
     * wake call per sleep, not one per message) never makes the notifier skip a waiter that decided to
     * sleep: the waiter clears the flag and fences before its re-check, so a notifier that still reads it
     * set published before that re-check. The not-empty line starts with Wake Pending = 1, as a woken
     * consumer leaves it.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "message there at the first poll: no registration, no wake")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "re-check saw the message; producer skipped the wake (count 0 or flag still set)")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "re-check saw the message; producer saw the cleared flag and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE,
        desc = "consumer decided to sleep; producer saw it registered, the flag cleared, and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "lost wakeup: producer skipped its wake on a stale pending flag")
    @Outcome(expect = FORBIDDEN, desc = "wake without a registered waiter, or the message not delivered")
    @State
    public static class StaleWakePending extends WakeRing
    {
        public StaleWakePending()
        {
            super(false);
            file.buffer().putIntRelease( // release: set before the actors start, like a wake still in flight
                RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAKE_PENDING_OFFSET, 1);
        }

        @Actor
        public void producer(final III_Result r)
        {
            producer.offer(1, scratch, 0, PAYLOAD);
            r.r2 = producer.wakeups().notEmpty().wakeCalls() > 0 ? 1 : 0;
            probe.notifierDone();
        }

        @Actor
        public void consumer(final III_Result r)
        {
            probe.record(r, takeOne() == 1);
        }
    }

    /**
     * An SPSC ring (64 bytes, two 24-byte messages fill it) whose waiting end uses a {@link SleepDecisionProbe}.
     */
    abstract static class WakeRing
    {
        static final int PAYLOAD = 24;

        final SleepDecisionProbe probe = new SleepDecisionProbe();
        final RingFile file = RingFile.allocateDirect(RingConfig.spsc(64).withMaxMessageLength(PAYLOAD)
            .withWakeProtocol(WakeModes.RING_PROTOCOL));
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PAYLOAD]);
        final SpscProducer producer;
        final SpscConsumer consumer;

        /**
         * @param producerWaits true if the producer is the waiting end, false if the consumer is.
         */
        WakeRing(final boolean producerWaits)
        {
            producer = producerWaits ? new SpscProducer(file, probe) : new SpscProducer(file);
            consumer = producerWaits ? new SpscConsumer(file) : new SpscConsumer(file, probe);
            producer.wakeups().prepare(); // bind the native calls outside the actors
            consumer.wakeups().prepare();
            WakeModes.check(file, producer.wakeups(), consumer.wakeups());
        }

        /**
         * The consumer's blocking take of one message (the probe stands in for its sleep).
         *
         * @return messages taken.
         */
        int takeOne()
        {
            try
            {
                return consumer.take((t, b, o, l) -> { }, 1, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("JCStress actor interrupted", ex);
            }
        }

        /**
         * The producer's timed offer of one message (the probe stands in for its sleep).
         *
         * @return true if it went in.
         */
        boolean timedOffer()
        {
            try
            {
                return producer.offer(2, scratch, 0, PAYLOAD, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("JCStress actor interrupted", ex);
            }
        }
    }
}
