package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;
import io.shmring.ringbuffer.liveness.PartyStatus;

import java.nio.file.Path;

/**
 * A role of a ring (its SPSC producer, its consumer, every MPSC producer slot) is held by a process that is
 * alive by the liveness rules of docs/LAYOUT.md section 6, so this process may not take it.
 */
public final class AlreadyAttachedException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The role asked for. */
    private final String role;
    /** The holder's pid. */
    private final int pid;

    /**
     * @param path   the ring file.
     * @param role   the role asked for ("SPSC producer", "consumer", "MPSC producer").
     * @param holder how the holder was judged.
     */
    public AlreadyAttachedException(final Path path, final String role, final PartyStatus holder)
    {
        super(role + " already attached to ring: " + holder + " path=" + path);
        this.path = path;
        this.role = role;
        this.pid = holder.pid();
    }

    /**
     * @return the ring file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the role that was refused.
     */
    public String role()
    {
        return role;
    }

    /**
     * @return pid of the holder (in its own pid namespace).
     */
    public int holderPid()
    {
        return pid;
    }
}
