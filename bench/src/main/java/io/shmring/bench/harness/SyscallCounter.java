package io.shmring.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * System calls another process makes over some seconds, counted by {@code perf stat -e raw_syscalls:sys_enter -p PID}
 * (every thread of it; the kernel counts, nothing is traced or slowed). Where perf is missing or may not read the
 * tracepoint (perf_event_paranoid, no tracefs), the count is unknown: {@link #count()} returns -1.
 */
final class SyscallCounter
{
    static final String EVENT = "raw_syscalls:sys_enter";
    private static final long EXIT_TIMEOUT_S = 30;

    private final Process perf;

    private SyscallCounter(final Process perf)
    {
        this.perf = perf;
    }

    /**
     * @param pid     the process to count.
     * @param seconds how long, {@code >= 1}.
     * @return a running count, or one whose {@link #count()} is -1 if perf cannot be started.
     */
    static SyscallCounter start(final long pid, final int seconds)
    {
        try
        {
            return new SyscallCounter(new ProcessBuilder(List.of("perf", "stat", "-x", ",", "-e", EVENT, "-p",
                String.valueOf(pid), "--", "sleep", String.valueOf(seconds)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        catch (final IOException ex)
        {
            return new SyscallCounter(null); // no perf here
        }
    }

    /**
     * Waits for perf to finish (the seconds it was started for).
     *
     * @return the system calls counted, or -1 if unknown.
     * @throws InterruptedException if interrupted while waiting.
     */
    long count() throws InterruptedException
    {
        if (perf == null)
        {
            return -1;
        }
        try
        {
            final String output = new String(perf.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!perf.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS) || perf.exitValue() != 0)
            {
                perf.destroyForcibly();
                return -1;
            }
            return parse(output);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * @param output what {@code perf stat -x ,} wrote to stderr.
     * @return the count on the line of {@link #EVENT}, or -1 if there is none or it is not a number ("not supported").
     */
    static long parse(final String output)
    {
        for (final String line : output.split("\n"))
        {
            final String[] fields = line.split(",");
            if (fields.length >= 3 && fields[2].equals(EVENT))
            {
                try
                {
                    return Long.parseLong(fields[0].trim());
                }
                catch (final NumberFormatException ex)
                {
                    return -1; // "<not supported>" or "<not counted>"
                }
            }
        }
        return -1;
    }
}
