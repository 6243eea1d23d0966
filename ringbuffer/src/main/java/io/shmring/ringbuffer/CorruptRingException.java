package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * A ring whose shared state breaks the layout's rules (docs/LAYOUT.md section 5.9): a frame header that cannot
 * be valid, a head or tail out of range, a producer slot or claim field no process could have written. Thrown before
 * the bad value is used for any allocation, copy, delivery or write to shared memory.
 * <p>
 * A consumer that meets a bad frame first delivers every valid frame before it, leaves its head on that frame's
 * boundary, and throws; every later poll throws again (nothing is skipped silently). Producers throw instead of
 * claiming from a head or tail out of range. The ring stays as the damage left it: no field is "repaired".
 */
public final class CorruptRingException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The shared field that broke a rule. */
    private final String field;
    /** Where it was read: a ring position or a file offset, as the message says. */
    private final long position;
    /** The value read. */
    private final long value;

    /**
     * @param path     the ring file, or null for a ring in direct memory.
     * @param field    the field that breaks a rule, e.g. "frame length", "tail".
     * @param position the ring position (byte count since creation) where it was read, or -1 if none applies.
     * @param value    the value read.
     * @param rule     the rule it breaks, naming any other values involved.
     */
    public CorruptRingException(final Path path, final String field, final long position, final long value, final String rule)
    {
        super("corrupt ring: " + field + "=" + value + (position >= 0 ? " at position=" + position : "") + " (" + rule +
            "): path=" + path);
        this.path = path;
        this.field = field;
        this.position = position;
        this.value = value;
    }

    /**
     * @return the ring file, or null for a ring in direct memory.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the field that breaks a rule.
     */
    public String field()
    {
        return field;
    }

    /**
     * @return the ring position where the value was read, or -1.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return the value read.
     */
    public long value()
    {
        return value;
    }
}
