package io.shmring.ringbuffer.internal;

import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.ringbuffer.liveness.PartyStatus.Liveness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static io.shmring.ringbuffer.internal.PartyDescriptor.BOOT_ID_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.HEARTBEAT_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.OWNER_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.PID_NAMESPACE_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.START_TICKS_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The party protocol on one record, with simulated processes: who counts as alive, in and across pid namespaces
 * and boots, and why no moment of an attach can be mistaken for a dead holder.
 */
class PartyRecordTest
{
    private static final long NAMESPACE = 4026531836L;
    private static final long OTHER_NAMESPACE = 4026532000L;
    private static final long BOOT = 0xdc94e259daL;
    private static final long STALE_MS = 10_000;
    private static final long NOW = 1_000_000;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(PartyDescriptor.LENGTH));
    private final Map<Integer, Long> machine = SimulatedHost.machine();
    private final SimulatedHost first = host(101, 5_000, NAMESPACE).start();
    private final SimulatedHost second = host(202, 6_000, NAMESPACE).start();

    private SimulatedHost host(final int pid, final long startTicks, final long namespace)
    {
        return new SimulatedHost(machine, pid, startTicks, namespace, BOOT, NOW, STALE_MS);
    }

    private PartyRecord recordOf(final Host host)
    {
        return new PartyRecord(buffer, 0, host);
    }

    @Test
    void shouldJudgeANewRecordFreeAndLetOneProcessTakeIt()
    {
        final PartyStatus status = recordOf(second).judge();
        assertEquals(Liveness.FREE, status.liveness());
        final long mine = recordOf(first).takeOver(status.ownerWord());
        assertEquals(PartyDescriptor.ownerWord(1, 101), mine);
        assertEquals(PartyRecord.NOT_ATTACHED, recordOf(second).takeOver(status.ownerWord()), "the word moved on: the CAS fails");
    }

    @Test
    void shouldJudgeHolderInTheSameNamespaceByItsPidAndStartTicks()
    {
        final long mine = recordOf(first).takeOver(0);
        final PartyStatus alive = recordOf(second).judge();
        assertEquals(Liveness.ALIVE, alive.liveness());
        assertTrue(alive.sameNamespace());
        assertEquals(mine, alive.ownerWord());

        first.kill();
        assertEquals(Liveness.DEAD, recordOf(second).judge().liveness(), "pid gone");
        assertFalse(recordOf(second).judge().heartbeatOnly(), "a checked pid: its death is certain");
        machine.put(101, 9_999L);
        assertEquals(Liveness.DEAD, recordOf(second).judge().liveness(), "pid recycled by a process that started later");
    }

    @Test
    void shouldJudgeHolderInAnotherPidNamespaceByItsHeartbeatAlone()
    {
        final SimulatedHost contained = host(3, 7_000, OTHER_NAMESPACE).start();
        final long mine = recordOf(contained).takeOver(0);
        final PartyStatus fresh = recordOf(first).judge();
        assertEquals(Liveness.ALIVE, fresh.liveness(), "pid 3 means nothing here, but its heartbeat is fresh");
        assertFalse(fresh.sameNamespace());
        assertTrue(fresh.heartbeatOnly());

        first.setNowMs(NOW + STALE_MS);
        assertEquals(Liveness.ALIVE, recordOf(first).judge().liveness(), "exactly the staleness period: still alive");
        first.setNowMs(NOW + STALE_MS + 1);
        assertEquals(Liveness.DEAD, recordOf(first).judge().liveness(), "no heartbeat for longer than the staleness period");

        contained.setNowMs(NOW + STALE_MS + 1);
        assertTrue(recordOf(contained).beat(mine));
        assertEquals(Liveness.ALIVE, recordOf(first).judge().liveness(), "a new beat makes it alive again");
    }

    @Test
    void shouldJudgeHolderOfAnotherBootDead()
    {
        recordOf(first).takeOver(0);
        final SimulatedHost rebooted = new SimulatedHost(machine, 300, 100, NAMESPACE, BOOT + 1, NOW, STALE_MS).start();
        assertEquals(Liveness.DEAD, recordOf(rebooted).judge().liveness(), "pid 101 of an earlier boot is not running");
    }

    @Test
    void shouldJudgeTheMomentBetweenTheOwnerCasAndItsIdentityAsAttachingNeverAsDead()
    {
        final long dead = recordOf(first).takeOver(0);
        first.kill();
        final PartyStatus before = recordOf(second).judge();
        assertEquals(Liveness.DEAD, before.liveness());

        // a third process has won the CAS (new pid, next generation) and written nothing else yet: the identity words
        // still carry the dead holder's tag, the "new pid with the previous start time" the old layout mistook for dead
        final long newOwner = PartyDescriptor.ownerWord(PartyDescriptor.generation(dead) + 1, 303);
        assertTrue(buffer.compareAndSetLong(OWNER_OFFSET, dead, newOwner));
        final PartyStatus during = recordOf(second).judge();
        assertEquals(Liveness.ATTACHING, during.liveness());
        assertEquals(newOwner, during.ownerWord());
        assertEquals(PartyRecord.NOT_ATTACHED, recordOf(second).takeOver(before.ownerWord()), "the stale judgement's CAS fails");
    }

    @Test
    void shouldIgnoreIdentityWordsWrittenLateByAnAttacherThatWasTakenOver()
    {
        final long displaced = recordOf(first).takeOver(0);
        // second took over after first looked "attaching" for the whole staleness period, then first writes late
        final long mine = recordOf(second).takeOver(displaced);
        assertNotEquals(PartyRecord.NOT_ATTACHED, mine);
        final int displacedGeneration = PartyDescriptor.generation(displaced);
        buffer.putLong(HEARTBEAT_OFFSET, PartyDescriptor.tagged(displacedGeneration, NOW));
        buffer.putLong(START_TICKS_OFFSET, PartyDescriptor.tagged(displacedGeneration, first.startTicks()));
        buffer.putLong(PID_NAMESPACE_OFFSET, PartyDescriptor.tagged(displacedGeneration, NAMESPACE));
        buffer.putLong(BOOT_ID_OFFSET, PartyDescriptor.tagged(displacedGeneration, BOOT));

        final PartyStatus seen = recordOf(first).judge();
        assertEquals(mine, seen.ownerWord());
        assertEquals(Liveness.ATTACHING, seen.liveness(), "words of another generation are never the owner's");
        assertFalse(recordOf(first).beat(displaced), "the displaced process learns it lost the role");
        assertTrue(recordOf(second).beat(mine), "the owner's next beat rewrites its identity");
        assertEquals(Liveness.ALIVE, recordOf(first).judge().liveness());
        assertTrue(recordOf(first).judge().sameNamespace());
    }

    @Test
    void shouldReleaseOnlyItsOwnAttachmentAndKeepTheGeneration()
    {
        final long mine = recordOf(first).takeOver(0);
        assertFalse(recordOf(second).release(PartyDescriptor.ownerWord(1, 202)));
        assertTrue(recordOf(first).release(mine));
        final PartyStatus free = recordOf(second).judge();
        assertEquals(Liveness.FREE, free.liveness());
        assertEquals(1, free.generation());
        assertEquals(PartyDescriptor.ownerWord(2, 202), recordOf(second).takeOver(free.ownerWord()));
    }

    @Test
    void shouldTreatAHeartbeatSlightlyAheadOfTheJudgesClockAsFresh()
    {
        first.setNowMs(NOW + 5);
        recordOf(first).takeOver(0);
        final SimulatedHost contained = host(4, 1, OTHER_NAMESPACE).start();
        assertEquals(Liveness.ALIVE, recordOf(contained).judge().liveness());
        assertEquals(0, recordOf(contained).judge().heartbeatAgeMs());
        assertEquals(5, recordOf(contained).judge().heartbeatAheadMs(), "how far ahead, for an operator");
    }

    /**
     * Breaker 8, finding 1: a heartbeat an hour ahead (another time namespace, or an overwritten word) keeps its holder
     * alive for that hour, by LAYOUT 6.1; stat showed it as "0 ms ago". The judgement says how far ahead it is.
     */
    @Test
    void shouldSayHowFarAHeartbeatIsAheadOfTheJudgesClock()
    {
        first.setNowMs(NOW + 3_600_000);
        recordOf(first).takeOver(0);
        final PartyStatus status = recordOf(host(4, 1, OTHER_NAMESPACE).start()).judge();
        assertEquals(Liveness.ALIVE, status.liveness());
        assertEquals(3_600_000, status.heartbeatAheadMs());
        assertTrue(status.toString().contains("heartbeat 3600000 ms ahead of this clock"), status.toString());
    }

    @Test
    void shouldSayNothingIsAheadForAHeartbeatBehindTheJudgesClock()
    {
        recordOf(first).takeOver(0);
        final SimulatedHost judge = host(4, 1, OTHER_NAMESPACE).start();
        judge.setNowMs(NOW + 7);
        final PartyStatus status = recordOf(judge).judge();
        assertEquals(7, status.heartbeatAgeMs());
        assertEquals(0, status.heartbeatAheadMs());
    }
}
