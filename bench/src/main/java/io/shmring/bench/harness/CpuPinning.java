package io.shmring.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins the two processes to different CPUs with util-linux {@code taskset}, when it is installed and
 * the machine has at least two CPUs: the parent (all its threads) to CPU 0, each child to CPU 1, so a
 * spinning pair never shares one core while the other idles.
 */
final class CpuPinning
{
    /** CPU of the measuring parent. */
    static final int PARENT_CPU = 0;
    /** CPU of every child. */
    static final int CHILD_CPU = 1;

    private final String taskset;

    private CpuPinning(final String taskset)
    {
        this.taskset = taskset;
    }

    /**
     * @param wanted false to never pin.
     * @return pinning with taskset if wanted and possible, else none.
     */
    static CpuPinning detect(final boolean wanted)
    {
        if (!wanted || Runtime.getRuntime().availableProcessors() < 2)
        {
            return new CpuPinning(null);
        }
        return new CpuPinning(Executables.find("taskset").map(Path::toString).orElse(null));
    }

    /**
     * @return true if processes are pinned.
     */
    boolean enabled()
    {
        return taskset != null;
    }

    /**
     * Pin every thread of this process to {@link #PARENT_CPU}.
     *
     * @throws IllegalStateException if taskset fails.
     */
    void pinThisProcess()
    {
        if (taskset == null)
        {
            return;
        }
        final List<String> command = List.of(taskset, "-a", "-p", "-c", String.valueOf(PARENT_CPU),
            String.valueOf(ProcessHandle.current().pid()));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("taskset failed: command=" + command + " output=" + output.trim());
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run taskset: command=" + command, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning", ex);
        }
    }

    /**
     * @param command a child's command line; changed in place to start under taskset on {@link #CHILD_CPU}.
     */
    void pinChild(final List<String> command)
    {
        pin(command, CHILD_CPU);
    }

    /**
     * For a process that measures in the parent's place (the C floor's measuring side) while this JVM only waits.
     *
     * @param command its command line; changed in place to start under taskset on {@link #PARENT_CPU}.
     */
    void pinAsParent(final List<String> command)
    {
        pin(command, PARENT_CPU);
    }

    private void pin(final List<String> command, final int cpu)
    {
        if (taskset != null)
        {
            command.addAll(0, List.of(taskset, "-c", String.valueOf(cpu)));
        }
    }

    /**
     * @return how processes are placed, for the report.
     */
    String describe()
    {
        return taskset == null ? "not pinned" :
            "pinned with taskset: parent on CPU " + PARENT_CPU + ", child on CPU " + CHILD_CPU;
    }
}
