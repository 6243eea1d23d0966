package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * This end's role (SPSC producer, consumer, MPSC producer slot, broadcast consumer slot) was taken over by another
 * process that judged this one dead by docs/LAYOUT.md 6.1 (this end cannot tell which rule that process applied): no
 * heartbeat for the staleness period, as after a long stop (SIGSTOP, a debugger, a pause) in another pid namespace;
 * or a record that no longer describes this process (its pid, start ticks or boot id overwritten), which the other
 * process found dead. This end delivers and publishes nothing more; close it. What it had consumed before is
 * recorded; what it had not is the new holder's.
 */
public final class RoleLostException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The role that was lost. */
    private final String role;

    /**
     * @param path the ring file.
     * @param role the role that was lost ("consumer", "SPSC producer", "MPSC producer").
     */
    public RoleLostException(final Path path, final String role)
    {
        super(role + " lost its role: another process judged this one dead (docs/LAYOUT.md 6.1: no heartbeat for the " +
            "staleness period, or a party record naming a dead process: its pid, start ticks or boot id not this process's) " +
            "and took the ring over: path=" + path);
        this.path = path;
        this.role = role;
    }

    /**
     * @return the ring file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the role that was lost.
     */
    public String role()
    {
        return role;
    }
}
