package io.shmring.ringbuffer.internal;

/**
 * Byte layout of a party record: the attachment of one process to one role of a ring (the SPSC producer,
 * the consumer, an MPSC producer slot). docs/LAYOUT.md section 6 gives the same layout and protocol.
 * Offsets are relative to the start of the record, 8-aligned; integers are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Owner Pid (uint32, 0 = role free)             |  +0
 *  +---------------------------------------------------------------+
 *  |                 Owner Generation (uint32)                     |  +4
 *  +-----------------------------------------------+---------------+
 *  |          Heartbeat: value (40 bits)           |  tag (24 bits) |  +8   (tagged word, below)
 *  +-----------------------------------------------+---------------+
 *  |          Start Ticks: value (40 bits)         |  tag (24 bits) |  +16
 *  +-----------------------------------------------+---------------+
 *  |          Pid Namespace: value (40 bits)       |  tag (24 bits) |  +24
 *  +-----------------------------------------------+---------------+
 *  |          Boot Id: value (40 bits)             |  tag (24 bits) |  +32
 *  +-----------------------------------------------+---------------+
 * </pre>
 * The <b>owner word</b> (int64 at +0) is {@code generation << 32 | pid}; it alone decides ownership: a
 * process attaches by one CAS that installs its pid and the next generation, and releases by a CAS that
 * clears the pid and keeps the generation.
 * <p>
 * Each <b>tagged word</b> is {@code tag << 40 | value}, where the tag is the low 24 bits of the generation
 * of the owner that wrote it. A reader counts a tagged word only if its tag matches the current owner word's
 * generation, so the fields of a previous owner (or of an attacher displaced while it was still writing
 * them) are never read as the current owner's. Values:
 * <ul>
 * <li>heartbeat: CLOCK_MONOTONIC milliseconds (Java {@link System#nanoTime()} / 10^6), refreshed every
 *     {@link #HEARTBEAT_INTERVAL_MS} by a timer of the owner's process;</li>
 * <li>start ticks: field 22 of {@code /proc/<pid>/stat} (clock ticks after boot when the process
 *     started), which with the pid names one process for the life of the boot;</li>
 * <li>pid namespace: the inode of {@code /proc/self/ns/pid}, 0 if unknown;</li>
 * <li>boot id: the first 10 hex digits of {@code /proc/sys/kernel/random/boot_id} once every '-' is removed (the
 *     file's first 10 characters hold a dash), 0 if unknown.</li>
 * </ul>
 */
public final class PartyDescriptor
{
    /** How often an attached party's process refreshes its heartbeat. */
    public static final long HEARTBEAT_INTERVAL_MS = 100;

    /**
     * Default age beyond which a heartbeat marks its owner dead, where the pid cannot be checked (another pid
     * namespace, or {@code kill(pid, 0)} refused with EPERM). A process may choose a longer or shorter value
     * with the system property {@value #STALE_AFTER_PROPERTY} (at least {@link #MIN_STALE_AFTER_MS}); a
     * party that stops for longer (SIGSTOP, a long GC pause) while in another namespace can be taken over.
     */
    public static final long DEFAULT_STALE_AFTER_MS = 10_000;

    /** Shortest heartbeat staleness accepted: five heartbeat intervals. */
    public static final long MIN_STALE_AFTER_MS = 5 * HEARTBEAT_INTERVAL_MS;

    /** System property overriding {@link #DEFAULT_STALE_AFTER_MS} in this process (milliseconds). */
    public static final String STALE_AFTER_PROPERTY = "shmring.liveness.staleAfterMs";

    /** Owner word (int64: {@code generation << 32 | pid}). */
    public static final int OWNER_OFFSET = 0;
    /** Heartbeat (tagged word; value: CLOCK_MONOTONIC ms). */
    public static final int HEARTBEAT_OFFSET = OWNER_OFFSET + Long.BYTES;
    /** Start ticks (tagged word; value: field 22 of /proc/PID/stat). */
    public static final int START_TICKS_OFFSET = HEARTBEAT_OFFSET + Long.BYTES;
    /** Pid namespace (tagged word; value: inode of /proc/self/ns/pid). */
    public static final int PID_NAMESPACE_OFFSET = START_TICKS_OFFSET + Long.BYTES;
    /** Boot id (tagged word; value: first 10 hex digits of /proc/sys/kernel/random/boot_id, its dashes removed). */
    public static final int BOOT_ID_OFFSET = PID_NAMESPACE_OFFSET + Long.BYTES;
    /** Bytes of a party record. */
    public static final int LENGTH = BOOT_ID_OFFSET + Long.BYTES;

    /** Bits of a tagged word's value. */
    public static final int VALUE_BITS = 40;
    /** Mask of a tagged word's value. */
    public static final long VALUE_MASK = (1L << VALUE_BITS) - 1;
    /** Mask of a tag: the low 24 bits of a generation. */
    public static final int TAG_MASK = (1 << (Long.SIZE - VALUE_BITS)) - 1;

    private PartyDescriptor()
    {
    }

    /**
     * @param generation the owner's generation.
     * @param pid        the owner's pid, 0 for a free role.
     * @return the owner word.
     */
    public static long ownerWord(final int generation, final int pid)
    {
        return (long)generation << 32 | (pid & 0xFFFF_FFFFL);
    }

    /**
     * @param ownerWord an owner word.
     * @return its pid, 0 if the role is free.
     */
    public static int pid(final long ownerWord)
    {
        return (int)ownerWord;
    }

    /**
     * @param ownerWord an owner word.
     * @return its generation: how many times the role was attached.
     */
    public static int generation(final long ownerWord)
    {
        return (int)(ownerWord >>> 32);
    }

    /**
     * @param generation the generation of the owner writing the word.
     * @param value      the value, in {@link #VALUE_BITS} bits (higher bits are dropped).
     * @return the tagged word.
     */
    public static long tagged(final int generation, final long value)
    {
        return (long)(generation & TAG_MASK) << VALUE_BITS | (value & VALUE_MASK);
    }

    /**
     * @param word       a tagged word.
     * @param generation the current owner's generation.
     * @return true if the word was written by that owner.
     */
    public static boolean hasTag(final long word, final int generation)
    {
        return (int)(word >>> VALUE_BITS) == (generation & TAG_MASK);
    }

    /**
     * @param word a tagged word.
     * @return its value.
     */
    public static long value(final long word)
    {
        return word & VALUE_MASK;
    }

    /**
     * @param nowMs     a CLOCK_MONOTONIC time in ms, read after the heartbeat was loaded.
     * @param heartbeat a heartbeat value (40 bits of CLOCK_MONOTONIC ms).
     * @return ms from the heartbeat to now in 40-bit arithmetic; a heartbeat slightly ahead of {@code nowMs}
     *         (another CPU's clock read) counts as age 0, so it never makes a live party look dead.
     */
    public static long heartbeatAgeMs(final long nowMs, final long heartbeat)
    {
        final long age = (nowMs - heartbeat) & VALUE_MASK;
        return age >= 1L << (VALUE_BITS - 1) ? 0 : age;
    }

    /**
     * @param nowMs     a CLOCK_MONOTONIC time in ms, read after the heartbeat was loaded.
     * @param heartbeat a heartbeat value (40 bits of CLOCK_MONOTONIC ms).
     * @return how many ms the heartbeat is ahead of {@code nowMs} in 40-bit arithmetic (the case
     *         {@link #heartbeatAgeMs} takes as age 0), or 0 if it is not ahead.
     */
    public static long heartbeatAheadMs(final long nowMs, final long heartbeat)
    {
        final long age = (nowMs - heartbeat) & VALUE_MASK;
        return age >= 1L << (VALUE_BITS - 1) ? (heartbeat - nowMs) & VALUE_MASK : 0;
    }
}
