package io.shmring.stress;

import io.shmring.sync.Eventcount;
import io.shmring.sync.MappingCheck;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;
import io.shmring.sync.internal.Membarrier;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.BufferUtil;
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
 * The wake line's Dekker pair on its own, on a {@link WakeProtocol#MEMBARRIER} line: the real {@link Eventcount#await}
 * (register, clear the flag, fence, membarrier, check; a {@link SleepDecisionProbe} stands in for the sleep) against the
 * real {@link Eventcount#signal()} after a release store, which in this registered JVM makes no fence. Nothing else runs
 * between the publication and the signal, or between the registration and the check, so the window in which a CPU could
 * let the signal's read of the waiter count pass its store is as wide as the protocol allows: the test the negative
 * control {@code broken-no-sleeper-membarrier} breaks. Results as in {@link WakeProtocolStress}: r1 = 1 if the waiter
 * decided to sleep; r2 = 1 if the notifier made a wake call; r3 = 2 if the waiter's check after registering saw the
 * publication, 0 if not.
 */
public final class EventcountDekkerStress
{
    private static final int VALUE_OFFSET = WakeLineDescriptor.LENGTH;

    private EventcountDekkerStress()
    {
    }

    /**
     * Invariant: the waiter never decides to sleep while the value is published and no wake call was made.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "check saw the value; the notifier read the count before registration")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "check saw the value; the notifier saw the waiter and woke (harmless)")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the waiter decided to sleep; the notifier saw it registered and woke it")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "lost wakeup: the waiter sleeps with the value published and no wake call")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class SignalVsLastCheck
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2 * WakeLineDescriptor.LENGTH, 64));
        private final SleepDecisionProbe probe = new SleepDecisionProbe();
        private final Eventcount waiter;
        private final Eventcount notifier;

        public SignalVsLastCheck()
        {
            Eventcount.initializeLine(WakeMechanism.FUTEX, buffer, 0);
            waiter = Eventcount.create(WakeMechanism.FUTEX, buffer, 0, MappingCheck.ALWAYS_MAPPED, WakeProtocol.MEMBARRIER);
            notifier = Eventcount.create(WakeMechanism.FUTEX, buffer, 0, MappingCheck.ALWAYS_MAPPED, WakeProtocol.MEMBARRIER);
            final Eventcount.Mode expected = Membarrier.isRegistered() ? Eventcount.Mode.MEMBARRIER : Eventcount.Mode.FENCED_POLLING;
            if (waiter.mode() != expected || notifier.mode() != expected)
            {
                throw new IllegalStateException("wake test on the wrong path: expected=" + expected + " waiter=" + waiter);
            }
            waiter.prepare(); // bind the native calls outside the actors
            notifier.prepare();
        }

        @Actor
        public void notifier(final III_Result r)
        {
            buffer.putIntRelease(VALUE_OFFSET, 1); // release: the publication
            r.r2 = notifier.signal() ? 1 : 0;
            probe.notifierDone();
        }

        @Actor
        public void waiter(final III_Result r)
        {
            try
            {
                probe.await(() -> buffer.getIntAcquire(VALUE_OFFSET) == 1, waiter, TimeUnit.SECONDS.toNanos(10));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("JCStress actor interrupted", ex);
            }
            probe.record(r, true);
        }
    }
}
