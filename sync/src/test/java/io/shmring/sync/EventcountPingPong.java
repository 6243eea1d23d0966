package io.shmring.sync;

import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Ping-pong through raw eventcounts on one region, the two sides in two threads or two processes: the
 * requester publishes ping i and signals line A, then waits on line B for pong i; the echo waits on line A
 * for ping i and answers on line B. Both wait with a {@link LostWakeupJudge}, so a lost wakeup fails the run
 * and a busy machine does not. Round 1 is forced through the wake path: each notifier first waits until its
 * peer has registered and found its condition false, so the peer can leave its (30 s) sleep only by that signal.
 */
final class EventcountPingPong
{
    static final int LINE_A = 0;
    static final int LINE_B = WakeLineDescriptor.LENGTH;
    static final int PING_OFFSET = 2 * WakeLineDescriptor.LENGTH;
    static final int PONG_OFFSET = PING_OFFSET + 64;
    static final int WITNESS_A = PONG_OFFSET + 64;
    static final int WITNESS_B = WITNESS_A + SignalWitness.LENGTH;
    /** Bytes the region needs. */
    static final int REGION_LENGTH = 4096;

    private EventcountPingPong()
    {
    }

    /**
     * One side when its rounds are done: the eventcount it waited on, the one it signalled, and its judge.
     */
    record Side(Eventcount waiter, Eventcount notifier, LostWakeupJudge judge)
    {
        String stats()
        {
            return WaitStats.format(waiter, notifier) + " slowNotifierExpiries=" + judge.slowNotifierExpiries();
        }
    }

    /**
     * Prepare a fresh, zeroed region: both wake lines. The witnesses start zeroed.
     */
    static void initialize(final WakeMechanism mechanism, final AtomicBuffer buffer)
    {
        Eventcount.initializeLine(mechanism, buffer, LINE_A);
        Eventcount.initializeLine(mechanism, buffer, LINE_B);
    }

    /**
     * Send each ping and wait for its pong.
     *
     * @throws AssertionError on a lost wakeup or a missing pong within the deadline.
     */
    static Side request(final WakeMechanism mechanism, final WakeProtocol protocol, final AtomicBuffer buffer, final int rounds)
        throws InterruptedException
    {
        return run(mechanism, protocol, buffer, rounds, true);
    }

    /**
     * Wait for each ping and answer it.
     *
     * @throws AssertionError on a lost wakeup or a missing ping within the deadline.
     */
    static Side echo(final WakeMechanism mechanism, final WakeProtocol protocol, final AtomicBuffer buffer, final int rounds)
        throws InterruptedException
    {
        return run(mechanism, protocol, buffer, rounds, false);
    }

    private static Side run(
        final WakeMechanism mechanism, final WakeProtocol protocol, final AtomicBuffer buffer, final int rounds,
        final boolean requester) throws InterruptedException
    {
        final Side side = requester ? side(mechanism, protocol, buffer, LINE_B, LINE_A, WITNESS_B) :
            side(mechanism, protocol, buffer, LINE_A, LINE_B, WITNESS_A);
        final SignalWitness answerWitness = new SignalWitness(buffer, requester ? WITNESS_A : WITNESS_B);
        final int awaitedOffset = requester ? PONG_OFFSET : PING_OFFSET;
        final int answerOffset = requester ? PING_OFFSET : PONG_OFFSET;
        final String awaited = requester ? "pong" : "ping";
        final long[] round = new long[1];
        final WakeCondition arrived = () -> buffer.getLongAcquire(awaitedOffset) == round[0]; // acquire: pairs with the peer's release
        for (int i = 1; i <= rounds; i++)
        {
            round[0] = i;
            if (requester)
            {
                publish(buffer, answerOffset, side.notifier(), answerWitness, i);
            }
            awaitValue(side, arrived, i, awaited);
            if (!requester)
            {
                publish(buffer, answerOffset, side.notifier(), answerWitness, i);
            }
        }
        return side;
    }

    private static Side side(
        final WakeMechanism mechanism, final WakeProtocol protocol, final AtomicBuffer buffer, final int waitLine,
        final int notifyLine, final int waitWitness)
    {
        final Side side = new Side(
            Eventcount.create(mechanism, buffer, waitLine, MappingCheck.ALWAYS_MAPPED, protocol),
            Eventcount.create(mechanism, buffer, notifyLine, MappingCheck.ALWAYS_MAPPED, protocol),
            new LostWakeupJudge(new SignalWitness(buffer, waitWitness)));
        side.waiter().prepare();
        side.notifier().prepare();
        return side;
    }

    private static void publish(
        final AtomicBuffer buffer, final int valueOffset, final Eventcount notifier, final SignalWitness witness, final long round)
    {
        if (round == 1)
        {
            witness.awaitCheckedFalse(round, LostWakeupJudge.TIMEOUT_NANOS);
        }
        buffer.putLongRelease(valueOffset, round); // release: publish the value before signalling
        notifier.signal();
        witness.signalled(round);
    }

    private static void awaitValue(final Side side, final WakeCondition arrived, final long round, final String what)
        throws InterruptedException
    {
        side.judge().expect(round);
        if (!side.judge().await(arrived, side.waiter(), LostWakeupJudge.TIMEOUT_NANOS))
        {
            throw new AssertionError("no " + what + " " + round + " within " + LostWakeupJudge.TIMEOUT_NANOS / 1_000_000_000L +
                " s: " + side.waiter());
        }
    }
}
