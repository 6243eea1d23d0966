package io.shmring.examples.trading;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;

/**
 * Wall time and CPU time one thread spends waiting, e.g. inside a blocking {@code take}: the proof that
 * sleeping on a futex costs (almost) no CPU. Call {@link #start()} and {@link #stop()} around each wait;
 * both read the thread's CPU clock (a system call), so call them only when about to wait, never per message.
 */
final class WaitMeter
{
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long processStartNanos = System.nanoTime();
    private long startWallNanos;
    private long startCpuNanos;
    private long waitWallNanos;
    private long waitCpuNanos;
    private long waits;

    WaitMeter()
    {
        if (!threads.isCurrentThreadCpuTimeSupported())
        {
            throw new UnsupportedOperationException("this JVM cannot measure thread CPU time");
        }
    }

    void start()
    {
        startWallNanos = System.nanoTime();
        startCpuNanos = threads.getCurrentThreadCpuTime();
    }

    void stop()
    {
        waitCpuNanos += threads.getCurrentThreadCpuTime() - startCpuNanos;
        waitWallNanos += System.nanoTime() - startWallNanos;
        waits++;
    }

    /**
     * @param what the blocking call, e.g. {@code take}.
     * @return e.g. {@code waiting in take: 9.71 s wall, 12.3 ms CPU (0.13 %) over 1,000 calls}.
     */
    String waitLine(final String what)
    {
        return String.format(Locale.ROOT, "waiting in %s: %.2f s wall, %.1f ms CPU (%.2f %%) over %,d calls", what,
            waitWallNanos / 1e9, waitCpuNanos / 1e6, percent(waitCpuNanos, waitWallNanos), waits);
    }

    /**
     * @return e.g. {@code process CPU 812 ms over 11.30 s wall (7.2 %), JVM start-up and JIT included}.
     */
    String processLine()
    {
        final long wallNanos = System.nanoTime() - processStartNanos;
        final long cpuNanos = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
        return String.format(Locale.ROOT, "process CPU %,d ms over %.2f s wall (%.1f %%), start-up and JIT included",
            cpuNanos / 1_000_000, wallNanos / 1e9, percent(cpuNanos, wallNanos));
    }

    private static double percent(final long part, final long whole)
    {
        return whole > 0 ? 100.0 * part / whole : 0.0;
    }
}
