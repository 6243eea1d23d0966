package io.shmring.ringbuffer.internal;

import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.ringbuffer.liveness.PartyStatus.Liveness;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static io.shmring.ringbuffer.internal.PartyDescriptor.BOOT_ID_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.HEARTBEAT_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.OWNER_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.PID_NAMESPACE_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.START_TICKS_OFFSET;
import static io.shmring.ringbuffer.internal.PartyDescriptor.generation;
import static io.shmring.ringbuffer.internal.PartyDescriptor.hasTag;
import static io.shmring.ringbuffer.internal.PartyDescriptor.heartbeatAgeMs;
import static io.shmring.ringbuffer.internal.PartyDescriptor.heartbeatAheadMs;
import static io.shmring.ringbuffer.internal.PartyDescriptor.pid;
import static io.shmring.ringbuffer.internal.PartyDescriptor.tagged;
import static io.shmring.ringbuffer.internal.PartyDescriptor.value;

/**
 * One party record in shared memory ({@link PartyDescriptor}): judging its holder, taking the role over from
 * a free or dead holder in one CAS, beating, releasing. Stateless apart from where the record is; thread-safe.
 * Judging may read /proc (through {@link Host#probe}): not for hot paths.
 */
public final class PartyRecord
{
    /** Result of {@link #takeOver}: the role was not taken. Never a valid owner word (whose pid is never 0). */
    public static final long NOT_ATTACHED = 0;

    /** Reads of a record whose owner word keeps changing before the judge settles for "attaching". */
    private static final int CONSISTENT_READ_ATTEMPTS = 64;

    private final AtomicBuffer buffer;
    private final Host host;
    private final int ownerOffset;
    private final int heartbeatOffset;
    private final int startTicksOffset;
    private final int pidNamespaceOffset;
    private final int bootIdOffset;

    /**
     * @param buffer shared memory holding the record.
     * @param offset where the record starts, 8-aligned.
     * @param host   the machine (identity, clock, probes).
     */
    public PartyRecord(final AtomicBuffer buffer, final int offset, final Host host)
    {
        buffer.boundsCheck(offset, PartyDescriptor.LENGTH);
        if ((offset & (Long.BYTES - 1)) != 0)
        {
            throw new IllegalArgumentException("party record must be 8-aligned: offset=" + offset);
        }
        this.buffer = buffer;
        this.host = host;
        this.ownerOffset = offset + OWNER_OFFSET;
        this.heartbeatOffset = offset + HEARTBEAT_OFFSET;
        this.startTicksOffset = offset + START_TICKS_OFFSET;
        this.pidNamespaceOffset = offset + PID_NAMESPACE_OFFSET;
        this.bootIdOffset = offset + BOOT_ID_OFFSET;
    }

    /**
     * @return the host this record judges and attaches for.
     */
    public Host host()
    {
        return host;
    }

    /**
     * @return the owner word now ({@code generation << 32 | pid}).
     */
    public long ownerWord()
    {
        return buffer.getLongVolatile(ownerOffset); // volatile: the latest owner, as a CAS would see it
    }

    /**
     * The check a consumer makes before it delivers a batch and before it moves the head: one load, no system call.
     *
     * @param mine this process's owner word.
     * @return true if the record still names this attachment (no other process took the role over).
     */
    public boolean isHeldBy(final long mine)
    {
        // acquire: a fresh load each call (never hoisted out of a poll loop), and the frame reads that follow it are
        // not done before it, so a takeover stored before this load is seen before we deliver or release anything
        return buffer.getLongAcquire(ownerOffset) == mine;
    }

    /**
     * Judge the holder (section 6 of docs/LAYOUT.md): same pid namespace and boot, identity complete: by its
     * pid and start ticks; another boot: dead; otherwise by the age of its heartbeat; no heartbeat of the
     * current owner yet: attaching.
     *
     * @return the judgement with what it rests on.
     */
    public PartyStatus judge()
    {
        for (int attempt = 0; ; attempt++)
        {
            final long owner = buffer.getLongAcquire(ownerOffset); // acquire: the owner's tagged words follow its CAS
            final int pid = pid(owner);
            if (pid == 0)
            {
                return new PartyStatus(owner, Liveness.FREE, -1, false, false, 0);
            }
            final long heartbeat = buffer.getLongAcquire(heartbeatOffset); // acquire: each tagged word stands alone
            final long startTicks = buffer.getLongAcquire(startTicksOffset); // acquire: as above
            final long pidNamespace = buffer.getLongAcquire(pidNamespaceOffset); // acquire: as above
            final long bootId = buffer.getLongAcquire(bootIdOffset); // acquire: as above
            VarHandle.loadLoadFence(); // the tagged words are read before the owner word is checked again
            if (buffer.getLongAcquire(ownerOffset) != owner && attempt < CONSISTENT_READ_ATTEMPTS) // acquire: as the first read
            {
                continue; // the role changed hands while we read: judge the new holder
            }
            final int generation = generation(owner);
            final long nowMs = host.nowMs(); // read after the heartbeat, so its age never comes out negative
            final long ageMs = hasTag(heartbeat, generation) ? heartbeatAgeMs(nowMs, value(heartbeat)) : -1;
            final long aheadMs = hasTag(heartbeat, generation) ? heartbeatAheadMs(nowMs, value(heartbeat)) : 0;
            final boolean identity = hasTag(startTicks, generation) && hasTag(pidNamespace, generation) &&
                hasTag(bootId, generation);
            if (identity && value(bootId) != 0 && host.bootId() != 0 && value(bootId) != host.bootId())
            {
                return new PartyStatus(owner, Liveness.DEAD, ageMs, false, false, aheadMs); // a process of another boot runs no more
            }
            final boolean sameNamespace = identity && value(bootId) != 0 && value(bootId) == host.bootId() &&
                value(pidNamespace) != 0 && value(pidNamespace) == host.pidNamespace();
            if (sameNamespace)
            {
                final Host.Probe probe = host.probe(pid, value(startTicks));
                if (probe != Host.Probe.UNKNOWN)
                {
                    return new PartyStatus(owner, probe == Host.Probe.RUNNING ? Liveness.ALIVE : Liveness.DEAD, ageMs, true, false,
                        aheadMs);
                }
            }
            if (ageMs < 0)
            {
                return new PartyStatus(owner, Liveness.ATTACHING, -1, sameNamespace, true, 0);
            }
            return new PartyStatus(owner, ageMs <= host.staleAfterMs() ? Liveness.ALIVE : Liveness.DEAD, ageMs, sameNamespace,
                true, aheadMs);
        }
    }

    /**
     * Take the role from the owner word {@code expectedOwner} (free, or judged dead): one CAS installs this
     * process's pid and the next generation, which alone decides ownership; then the tagged identity and the
     * first heartbeat are written.
     *
     * @param expectedOwner the owner word the caller judged free or dead.
     * @return this process's owner word, or {@link #NOT_ATTACHED} if the word changed first, or another process
     *         took the role over while this one was still writing its identity.
     */
    public long takeOver(final long expectedOwner)
    {
        final long mine = PartyDescriptor.ownerWord(generation(expectedOwner) + 1, host.pid());
        if (!buffer.compareAndSetLong(ownerOffset, expectedOwner, mine)) // CAS: the one step that decides ownership
        {
            return NOT_ATTACHED;
        }
        writeIdentity(generation(mine));
        // StoreLoad: our identity is visible before we check that nobody judged us dead meanwhile
        VarHandle.fullFence();
        return buffer.getLongVolatile(ownerOffset) == mine ? mine : NOT_ATTACHED; // volatile: after the fence
    }

    /**
     * Refresh the heartbeat (and rewrite identity words another process's late writes left with a wrong tag).
     *
     * @param mine this process's owner word.
     * @return false if this process no longer holds the role (another took it over): stop using it.
     */
    public boolean beat(final long mine)
    {
        if (buffer.getLongVolatile(ownerOffset) != mine) // volatile: the latest owner
        {
            return false;
        }
        final int generation = generation(mine);
        buffer.putLongRelease(heartbeatOffset, tagged(generation, host.nowMs())); // release: a tagged word stands alone
        if (!hasTag(buffer.getLongAcquire(startTicksOffset), generation) || // acquire: as written by whoever
            !hasTag(buffer.getLongAcquire(pidNamespaceOffset), generation) || // acquire: as above
            !hasTag(buffer.getLongAcquire(bootIdOffset), generation)) // acquire: as above
        {
            writeIdentity(generation);
        }
        return true;
    }

    /**
     * Give the role up: the pid is cleared, the generation kept. Does nothing if this process no longer holds it.
     *
     * @param mine this process's owner word.
     * @return true if this call released the role.
     */
    public boolean release(final long mine)
    {
        return buffer.compareAndSetLong(ownerOffset, mine, PartyDescriptor.ownerWord(generation(mine), 0)); // CAS: only our own attachment
    }

    private void writeIdentity(final int generation)
    {
        buffer.putLongRelease(heartbeatOffset, tagged(generation, host.nowMs())); // release: first, so we stop looking "attaching"
        buffer.putLongRelease(startTicksOffset, tagged(generation, host.startTicks())); // release: a tagged word stands alone
        buffer.putLongRelease(pidNamespaceOffset, tagged(generation, host.pidNamespace())); // release: as above
        buffer.putLongRelease(bootIdOffset, tagged(generation, host.bootId())); // release: as above
    }
}
