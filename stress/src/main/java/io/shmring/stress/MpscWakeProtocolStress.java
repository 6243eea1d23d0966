package io.shmring.stress;

import io.shmring.ringbuffer.MpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The wake lines of an MPSC ring (docs/LAYOUT.md 4.6, 4.9): the consumer sleeps on not-empty until the frame at its head
 * has a positive length, and every producer signals that line after each commit; producers sleep on not-full until their
 * frame fits, and the consumer signals it after each store of the head. As in {@link WakeProtocolStress} (SPSC), the
 * waiter is the real ring end's blocking call through a {@link SleepDecisionProbe}, which records the decision to sleep
 * instead of making the native wait; the notifiers are the real commits and releases with their signals, and "wake
 * issued" is a signal's native wake call count.
 * <p>
 * The Dekker pair is the one the ring's layout version and this JVM select, as in {@link WakeProtocolStress}: by default
 * the fence-free signal against the waiter's membarrier ({@link WakeModes}; each state checks it). The producers' commit
 * is a header CAS, a full barrier of its own, so there the signal's fence was redundant even before membarrier.
 * <p>
 * Results in every test: r1 = 1 if the waiter decided to sleep; r2 = 1 if a notifier issued a wake; r3 = where the
 * waiter saw what it waited for: 1 at its first attempt (never registered), 2 at its re-check after registering, 0 not
 * before deciding, -1 if a message was then lost, repeated or torn, or the blocking call failed.
 */
public final class MpscWakeProtocolStress
{
    private static final long TIMEOUT_SECONDS = 10; // never waited on: the probe stands in for the sleep

    private MpscWakeProtocolStress()
    {
    }

    /**
     * Invariant: an MPSC consumer never decides to sleep while the frame at its head is committed and no producer issued a
     * wake. Two producers publish while the consumer takes from the empty ring: the first claims at the head, the second
     * claims behind it and commits, then the first commits. A commit behind an open claim does not make the head readable
     * (4.6), so the consumer may register between the two commits, and the commit at the head must then wake it (one
     * publication is not enough, 4.5). One actor drives both producers (JCStress runs no more actors than CPUs, and CI
     * has two); each producer signals through its own wake-line state. The arbiter drains and checks both messages were
     * delivered once, in order, whole.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "a committed frame at the head at the first poll: no registration, no wake")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "re-check saw the committed head; both producers read the count before registration")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "re-check saw the committed head; a producer saw the waiter and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "consumer decided to sleep; a producer saw it registered and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN,
        desc = "lost wakeup: consumer sleeps with the frame at its head committed and neither producer issued a wake")
    @Outcome(expect = FORBIDDEN, desc = "wake without a registered waiter, or a message lost, delivered twice, out of order or torn")
    @State
    public static class ConsumerSleepsVsCommitBehindHead extends MpscStressRing
    {
        private final SleepDecisionProbe probe;
        private final MpscProducer atHead;
        private final MpscProducer behind;

        public ConsumerSleepsVsCommitBehindHead()
        {
            this(new SleepDecisionProbe());
        }

        private ConsumerSleepsVsCommitBehindHead(final SleepDecisionProbe probe)
        {
            super(mpsc(128), probe, 0, 24, 24);
            this.probe = probe;
            atHead = new MpscProducer(file);
            behind = new MpscProducer(file);
            atHead.wakeups().prepare(); // bind the native calls outside the actors
            behind.wakeups().prepare();
            consumer.wakeups().prepare();
            WakeModes.check(file, atHead.wakeups(), behind.wakeups(), consumer.wakeups());
        }

        @Actor
        public void producers()
        {
            try
            {
                final int index = atHead.tryClaim(1, lengthOf(1));
                claimPattern(behind, 2);
                MessagePattern.fill(atHead.buffer(), index, 1, lengthOf(1));
                atHead.commit(index);
            }
            finally
            {
                probe.notifierDone();
            }
        }

        @Actor
        public void consumer(final III_Result r)
        {
            probe.record(r, takeRecording(TIMEOUT_SECONDS) > 0);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = atHead.wakeups().notEmpty().wakeCalls() + behind.wakeups().notEmpty().wakeCalls() > 0 ? 1 : 0;
            if (drain() != 12)
            {
                r.r3 = -1;
            }
            close();
        }
    }

    /**
     * Invariant: an MPSC producer waiting for room on a full ring (a timed offer) never decides to sleep while the
     * consumer has freed room for its frame and issued no wake: the consumer's release signals not-full after its head
     * store. The ring starts full (two 32-byte frames in 64 bytes); the producer offers message 3 with a timeout while
     * the consumer polls. The arbiter drains and checks messages 1, 2 and 3 were delivered once, in order, whole.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "room there before registering: no registration, no wake")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "re-check saw the room; the consumer read the count before registration")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "re-check saw the room; the consumer saw the waiter and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "producer decided to sleep; the consumer saw it registered and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "lost wakeup: producer sleeps with room freed and no wake issued")
    @Outcome(expect = FORBIDDEN, desc = "wake without a registered waiter, the offer failed, or a message lost, repeated or torn")
    @State
    public static class ProducerSleepsVsRelease extends MpscStressRing
    {
        private final SleepDecisionProbe probe = new SleepDecisionProbe();
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        private final MpscProducer producer;

        public ProducerSleepsVsRelease()
        {
            super(mpsc(64), 0, 24, 24, 24);
            producer = new MpscProducer(file, probe);
            producer.wakeups().prepare(); // bind the native calls outside the actors
            consumer.wakeups().prepare();
            WakeModes.check(file, producer.wakeups(), consumer.wakeups());
            claimPattern(producer, 1);
            claimPattern(producer, 2); // the ring is full
        }

        @Actor
        public void producer(final III_Result r)
        {
            MessagePattern.fill(scratch, 0, 3, lengthOf(3));
            try
            {
                probe.record(r, producer.offer(3, scratch, 0, lengthOf(3), TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("JCStress actor interrupted", ex);
            }
        }

        @Actor
        public void consumer(final III_Result r)
        {
            try
            {
                pollRecording();
                r.r2 = consumer.wakeups().notFull().wakeCalls() > 0 ? 1 : 0;
            }
            finally
            {
                probe.notifierDone();
            }
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            if (drain() != 123)
            {
                r.r3 = -1;
            }
            close();
        }
    }
}
