package io.shmring.ringbuffer.internal;

import com.sun.jna.Native;

/**
 * {@code kill(pid, 0)}: does a process exist, and may we signal it? Bound by JNA direct mapping. If the C
 * library cannot be bound, {@link #exists} answers {@link Host.Probe#UNKNOWN}.
 */
final class Kill
{
    private static final int EPERM = 1;
    private static final int ESRCH = 3;
    private static final boolean LOADED = register();

    private Kill()
    {
    }

    private static boolean register()
    {
        try
        {
            Native.register(Kill.class, "c");
            return true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return false;
        }
    }

    private static native int kill(int pid, int signal);

    /**
     * @param pid a pid of this pid namespace, {@code > 0}.
     * @return RUNNING if it exists and we may signal it (a zombie included), GONE if no such process,
     *         UNKNOWN if it exists but belongs to a user we may not signal (EPERM), or kill is unavailable.
     */
    static Host.Probe exists(final int pid)
    {
        if (!LOADED || pid <= 0)
        {
            return Host.Probe.UNKNOWN;
        }
        if (kill(pid, 0) == 0)
        {
            return Host.Probe.RUNNING;
        }
        final int errno = Native.getLastError();
        return errno == ESRCH ? Host.Probe.GONE : errno == EPERM ? Host.Probe.UNKNOWN : Host.Probe.UNKNOWN;
    }
}
