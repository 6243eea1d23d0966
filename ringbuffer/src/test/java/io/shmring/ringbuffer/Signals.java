package io.shmring.ringbuffer;

import com.sun.jna.Native;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Signals for tests that freeze or kill a child at a chosen moment ({@code kill(2)} through JNA).
 */
final class Signals
{
    static final int SIGKILL = 9;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;

    static
    {
        Native.register(Signals.class, "c");
    }

    private Signals()
    {
    }

    private static native int kill(int pid, int signal);

    static void send(final int pid, final int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed: errno=" + Native.getLastError());
        }
    }

    /**
     * Wait until the process shows as stopped (state T) in /proc, so it runs no instruction while we look.
     */
    static void awaitStopped(final int pid, final long timeoutMs) throws Exception
    {
        final Path stat = Path.of("/proc/" + pid + "/stat");
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0)
        {
            final String text = Files.readString(stat);
            if (text.substring(text.lastIndexOf(')') + 1).trim().startsWith("T"))
            {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("process " + pid + " did not stop within " + timeoutMs + " ms");
    }
}
