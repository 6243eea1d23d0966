package io.shmring.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /proc} tells about another process, for the idle table: its CPU time ({@code utime + stime} of
 * {@code /proc/PID/stat}) and its threads' voluntary context switches (each one a block, then a wake-up: a thread that
 * sleeps in slices switches once per slice).
 */
final class ProcCounters
{
    private static final long DEFAULT_CLOCK_TICKS = 100;
    private static final String VOLUNTARY = "voluntary_ctxt_switches:";

    private ProcCounters()
    {
    }

    /**
     * @return clock ticks per second of {@code /proc/PID/stat}'s times: {@code getconf CLK_TCK}, or 100 if that fails.
     */
    static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0)
            {
                final long ticks = Long.parseLong(output);
                if (ticks > 0)
                {
                    return ticks;
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // no getconf, or it printed something else: Linux's USER_HZ is 100
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS;
    }

    /**
     * @param stat the text of {@code /proc/PID/stat}.
     * @return utime + stime, in clock ticks.
     * @throws IllegalArgumentException naming the text if it has too few fields.
     */
    static long cpuTicks(final String stat)
    {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" +");
        if (fields.length < 13)
        {
            throw new IllegalArgumentException("not a /proc/PID/stat line: stat=" + stat);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15: utime, stime
    }

    /**
     * @param pid a live process.
     * @return its utime + stime, in clock ticks.
     * @throws UncheckedIOException if {@code /proc/PID/stat} cannot be read.
     */
    static long cpuTicks(final long pid)
    {
        final Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try
        {
            return cpuTicks(Files.readString(stat, StandardCharsets.US_ASCII));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + stat, ex);
        }
    }

    /**
     * @param status the text of a {@code /proc/PID/task/TID/status}.
     * @return its {@code voluntary_ctxt_switches}.
     * @throws IllegalArgumentException naming the text if it has no such line.
     */
    static long voluntarySwitches(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith(VOLUNTARY))
            {
                return Long.parseLong(line.substring(VOLUNTARY.length()).trim());
            }
        }
        throw new IllegalArgumentException("no " + VOLUNTARY + " line: status=" + status);
    }

    /**
     * @param pid a live process.
     * @return the voluntary context switches of its threads alive now (a thread that ended takes its count along).
     * @throws UncheckedIOException if {@code /proc/PID/task} cannot be listed.
     */
    static long voluntarySwitches(final long pid)
    {
        final Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        long switches = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks))
        {
            for (final Path thread : threads)
            {
                try
                {
                    switches += voluntarySwitches(Files.readString(thread.resolve("status"), StandardCharsets.US_ASCII));
                }
                catch (final NoSuchFileException ex)
                {
                    // the thread ended while we listed them
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the threads of " + tasks, ex);
        }
        return switches;
    }
}
