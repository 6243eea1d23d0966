package io.shmring.stress;

import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.internal.PartyRecord;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.ringbuffer.internal.SimulatedHost;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The attach protocol of a role (docs/LAYOUT.md section 6) over the real {@link PartyRecord}, with simulated
 * processes of one machine: the record starts held by a process that has died; the actors are processes that
 * want the role, or that judge who holds it. One CAS of the owner word decides ownership, and the identity
 * written after it is tagged with the new generation, so no moment of an attach looks like a dead holder.
 */
public final class AttachStress
{
    private static final long NAMESPACE = 4026531836L;
    private static final long BOOT = 0x1234567890L;
    private static final long NOW_MS = 1_000_000;
    private static final long STALE_MS = 10_000;
    private static final int DEAD_PID = 7;
    private static final long DEAD_START = 700;

    private AttachStress()
    {
    }

    /**
     * A record whose holder (pid 7) has died, and the machine's processes.
     */
    abstract static class DeadHolder
    {
        final Map<Integer, Long> machine = SimulatedHost.machine();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(PartyDescriptor.LENGTH));

        DeadHolder()
        {
            final SimulatedHost dead = host(DEAD_PID, DEAD_START).start();
            new PartyRecord(buffer, 0, dead).takeOver(0);
            dead.kill();
        }

        final SimulatedHost host(final int pid, final long startTicks)
        {
            return new SimulatedHost(machine, pid, startTicks, NAMESPACE, BOOT, NOW_MS, STALE_MS);
        }

        /**
         * Attach as a process would without waiting: take the role if it is free or its holder dead, give up if a
         * live process (or one in the middle of attaching) holds it.
         *
         * @return 1 if this process now holds the role, 0 if it was refused.
         */
        final int attach(final SimulatedHost process)
        {
            final PartyRecord record = new PartyRecord(buffer, 0, process);
            while (true)
            {
                final PartyStatus holder = record.judge();
                if (holder.liveness() == PartyStatus.Liveness.ALIVE || holder.liveness() == PartyStatus.Liveness.ATTACHING)
                {
                    return 0;
                }
                if (record.takeOver(holder.ownerWord()) != PartyRecord.NOT_ATTACHED)
                {
                    return 1;
                }
            }
        }
    }

    /**
     * Invariant: two processes taking over a dead holder's role at once: exactly one gets it.
     * r1, r2: 1 if process 11 (resp. 12) attached.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "process 11 took the role; 12 saw it attaching or alive")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "process 12 took the role; 11 saw it attaching or alive")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "two owners: one took over the other's fresh attachment as dead")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "a dead holder's role was lost to both")
    @State
    public static class TwoAttachers extends DeadHolder
    {
        final SimulatedHost eleven = host(11, 1_100).start();
        final SimulatedHost twelve = host(12, 1_200).start();

        @Actor
        public void processEleven(final II_Result r)
        {
            r.r1 = attach(eleven);
        }

        @Actor
        public void processTwelve(final II_Result r)
        {
            r.r2 = attach(twelve);
        }
    }

    /**
     * Invariant: a judge never finds a process that is attaching, or has attached, dead. The record's identity
     * words are written after the owner word's CAS; read in between, the previous holder's start ticks next to the
     * new pid once made the new owner look dead (the race this test was written for).
     * r1: 1 if process 11 attached; r2: what the judge saw of the holder: 0 the dead old holder, 1 the new one
     * attaching, 2 the new one alive, 3 the new one dead.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "judged before the attach: the old holder, dead")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "judged between the CAS and the first heartbeat: attaching")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "judged after the identity or a heartbeat: alive")
    @Outcome(id = "1, 3", expect = FORBIDDEN, desc = "the new owner judged dead: another process would take over too")
    @Outcome(expect = FORBIDDEN, desc = "the attach failed over a dead holder, or an unknown judgement")
    @State
    public static class AttachVersusJudge extends DeadHolder
    {
        final SimulatedHost eleven = host(11, 1_100).start();
        final SimulatedHost judge = host(20, 2_000).start();

        @Actor
        public void attacher(final II_Result r)
        {
            r.r1 = attach(eleven);
        }

        @Actor
        public void judge(final II_Result r)
        {
            final PartyStatus seen = new PartyRecord(buffer, 0, judge).judge();
            if (PartyDescriptor.pid(seen.ownerWord()) == DEAD_PID)
            {
                r.r2 = seen.liveness() == PartyStatus.Liveness.DEAD ? 0 : -1;
                return;
            }
            switch (seen.liveness())
            {
                case ATTACHING:
                    r.r2 = 1;
                    break;
                case ALIVE:
                    r.r2 = 2;
                    break;
                case DEAD:
                    r.r2 = 3;
                    break;
                default:
                    r.r2 = -1;
                    break;
            }
        }
    }
}
