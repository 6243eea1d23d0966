package io.shmring.ringbuffer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real machine: identity from {@code /proc/self}, liveness from {@code kill(pid, 0)} and
 * {@code /proc/<pid>/stat}, the clock from {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux).
 * Probing reads /proc: not for hot paths. Thread-safe.
 */
public final class LinuxHost implements Host
{
    private static final Path PROC = Path.of("/proc");
    /** Index of starttime (field 22) among the fields that follow the ")" closing the command name (field 3 is 0). */
    private static final int START_TICKS_FIELD = 19;

    /** The one instance (declared after the constants its constructor reads). */
    public static final LinuxHost INSTANCE = new LinuxHost();

    private final int pid;
    private final long startTicks;
    private final long pidNamespace;
    private final long bootId;
    private final long staleAfterMs;

    private LinuxHost()
    {
        pid = (int)ProcessHandle.current().pid();
        final String[] stat = readStat(Integer.toString(pid));
        startTicks = stat == null ? 0 : parseLong(stat[START_TICKS_FIELD]);
        pidNamespace = procMatchesOwnNamespace(pid) ? namespaceInode() : 0;
        bootId = readBootId();
        staleAfterMs = staleAfterFromProperty();
    }

    @Override
    public int pid()
    {
        return pid;
    }

    @Override
    public long startTicks()
    {
        return startTicks;
    }

    @Override
    public long pidNamespace()
    {
        return pidNamespace;
    }

    @Override
    public long bootId()
    {
        return bootId;
    }

    @Override
    public long nowMs()
    {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public long staleAfterMs()
    {
        return staleAfterMs;
    }

    /**
     * {@code kill(pid, 0)} says whether the pid exists (EPERM: cannot tell); then {@code /proc/<pid>/stat}
     * tells a zombie (state Z or X) and a recycled pid (other start ticks) from the recorded process.
     */
    @Override
    public Probe probe(final int pid, final long startTicks)
    {
        final Probe exists = Kill.exists(pid);
        if (exists != Probe.RUNNING)
        {
            return exists;
        }
        final String[] stat = readStat(Integer.toString(pid));
        if (stat == null)
        {
            // gone between the two calls, or hidden from us (hidepid): kill decides which
            return Kill.exists(pid) == Probe.GONE ? Probe.GONE : Probe.UNKNOWN;
        }
        final String state = stat[0];
        if (state.equals("Z") || state.equals("X") || state.equals("x"))
        {
            return Probe.GONE;
        }
        final long actualStart = parseLong(stat[START_TICKS_FIELD]);
        if (startTicks == 0 || actualStart == 0)
        {
            return Probe.RUNNING;
        }
        return (actualStart & PartyDescriptor.VALUE_MASK) == (startTicks & PartyDescriptor.VALUE_MASK) ? Probe.RUNNING : Probe.GONE;
    }

    /**
     * @return the fields of {@code /proc/<name>/stat} after the command name (state first), or null if unreadable
     *         or malformed.
     */
    private static String[] readStat(final String name)
    {
        try
        {
            final String text = Files.readString(PROC.resolve(name).resolve("stat"), StandardCharsets.US_ASCII);
            final int close = text.lastIndexOf(')');
            if (close < 0)
            {
                return null;
            }
            final String[] fields = text.substring(close + 1).trim().split(" ");
            return fields.length > START_TICKS_FIELD ? fields : null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * /proc shows the pids of the namespace it was mounted in; if that is not ours (a new pid namespace without
     * its own /proc), pids read there mean nothing to us and we must not claim a namespace.
     */
    private static boolean procMatchesOwnNamespace(final int pid)
    {
        try
        {
            return Files.readSymbolicLink(PROC.resolve("self")).toString().equals(Integer.toString(pid));
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static long namespaceInode()
    {
        try
        {
            final String link = Files.readSymbolicLink(PROC.resolve("self/ns/pid")).toString(); // "pid:[4026531836]"
            final int open = link.indexOf('[');
            final int close = link.indexOf(']');
            return open < 0 || close < open ? 0 : Long.parseLong(link.substring(open + 1, close)) & PartyDescriptor.VALUE_MASK;
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    private static long readBootId()
    {
        try
        {
            final String id = Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                .trim().replace("-", "");
            return id.length() < 10 ? 0 : Long.parseLong(id.substring(0, 10), 16);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    private static long staleAfterFromProperty()
    {
        final String value = System.getProperty(PartyDescriptor.STALE_AFTER_PROPERTY);
        if (value == null)
        {
            return PartyDescriptor.DEFAULT_STALE_AFTER_MS;
        }
        final long ms;
        try
        {
            ms = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(PartyDescriptor.STALE_AFTER_PROPERTY + " must be a number of ms: " + value, ex);
        }
        if (ms < PartyDescriptor.MIN_STALE_AFTER_MS)
        {
            throw new IllegalArgumentException(PartyDescriptor.STALE_AFTER_PROPERTY + " must be at least " +
                PartyDescriptor.MIN_STALE_AFTER_MS + " ms: " + value);
        }
        return ms;
    }

    private static long parseLong(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
