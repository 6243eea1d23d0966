package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * Every slot of a ring's table of equal roles (the producer table of an MPSC ring, the consumer table of a broadcast
 * ring) is held by a live process, or by one in the middle of attaching, so this process found none to take. Nothing
 * was taken or written. Try again once an end detaches or its process dies, or create the ring with more slots.
 */
public final class TableFullException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The role asked for. */
    private final String role;
    /** Slots in the table. */
    private final int slots;

    /**
     * @param path  the ring file.
     * @param role  the role asked for ("MPSC producer", "broadcast consumer").
     * @param slots slots in the table.
     */
    public TableFullException(final Path path, final String role, final int slots)
    {
        super(role + " table full, every slot is held by a live process: slots=" + slots + " path=" + path);
        this.path = path;
        this.role = role;
        this.slots = slots;
    }

    /**
     * @return the ring file, or null for a ring in direct memory (or after deserialisation).
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the role that was refused ("MPSC producer", "broadcast consumer").
     */
    public String role()
    {
        return role;
    }

    /**
     * @return slots in the table, every one of them held.
     */
    public int slots()
    {
        return slots;
    }
}
