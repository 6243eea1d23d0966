package io.shmring.sync.internal;

import com.sun.jna.Native;

/**
 * Linux {@code membarrier(2)} with the global expedited commands: the asymmetric half of the wake lines' Dekker pair
 * (docs/LAYOUT.md 4.5). A thread about to sleep calls {@link #barrier()}, which returns only after every running thread
 * of every process registered with {@code MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED} has passed a full memory barrier;
 * so a notifier in a registered process needs no fence of its own between its publication and its read of the waiter
 * count, only program order.
 * <p>
 * This process registers once, on first use, thread-safe (class initialisation). It counts as registered only if
 * {@code MEMBARRIER_CMD_QUERY} lists both global expedited commands and the registration returned 0; anything else
 * (a kernel older than 4.16, a seccomp filter answering ENOSYS or EPERM, EINVAL, no JNA, not Linux on x86_64 or
 * aarch64, or the system property {@value #PROPERTY}{@code =false}) leaves it unregistered, and the wake lines then
 * keep the notifier's full fence. The answer never changes during the life of the process (a registration cannot be
 * undone). Nothing here allocates after the registration.
 */
public final class Membarrier
{
    /** System property: {@code false} makes this process act as one where membarrier is unavailable. */
    public static final String PROPERTY = "shmring.membarrier";

    /** {@code MEMBARRIER_CMD_QUERY}: returns the mask of the commands the kernel supports. */
    static final int CMD_QUERY = 0;
    /** {@code MEMBARRIER_CMD_GLOBAL_EXPEDITED} (1 &lt;&lt; 1): a barrier on every running thread of registered processes. */
    static final int CMD_GLOBAL_EXPEDITED = 1 << 1;
    /** {@code MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED} (1 &lt;&lt; 2): this process receives those barriers. */
    static final int CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;

    private static final long SYS_MEMBARRIER = LinuxSyscalls.number(324, 283);

    private Membarrier()
    {
    }

    /**
     * One membarrier call, for {@link #decide}: the system call's result, or {@code -errno} when it failed.
     */
    @FunctionalInterface
    interface Call
    {
        long call(int command);
    }

    /** Holds the outcome of this process's one registration; initialised (so registered) on first use. */
    private static final class Registration
    {
        static final String FAILURE = register();

        private Registration()
        {
        }

        private static String register()
        {
            if (!isAllowedByProperty())
            {
                return "turned off by the system property " + PROPERTY + "=" + System.getProperty(PROPERTY);
            }
            if (SYS_MEMBARRIER <= 0)
            {
                return "membarrier needs Linux on x86_64 or aarch64: os.name=" + System.getProperty("os.name") +
                    " os.arch=" + System.getProperty("os.arch");
            }
            if (!LibC.isLoaded())
            {
                return "the C library could not be bound through JNA";
            }
            return decide(Membarrier::callNative);
        }
    }

    /**
     * The registration's decision, given the system call (so that tests can stand in for the kernel).
     *
     * @param membarrier issues {@code membarrier(command, 0)}.
     * @return null if the process is now registered for the global expedited barrier; else why not.
     */
    static String decide(final Call membarrier)
    {
        final long mask = membarrier.call(CMD_QUERY);
        if (mask < 0)
        {
            return "MEMBARRIER_CMD_QUERY failed: errno=" + -mask + " (" + Errno.name((int)-mask) + ")";
        }
        final long needed = CMD_GLOBAL_EXPEDITED | CMD_REGISTER_GLOBAL_EXPEDITED;
        if ((mask & needed) != needed)
        {
            return "the kernel lacks the global expedited commands: MEMBARRIER_CMD_QUERY mask=0x" + Long.toHexString(mask);
        }
        final long registered = membarrier.call(CMD_REGISTER_GLOBAL_EXPEDITED);
        if (registered != 0)
        {
            return "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED failed: result=" + registered +
                (registered < 0 ? " (" + Errno.name((int)-registered) + ")" : "");
        }
        return null;
    }

    /**
     * @return true unless the system property {@value #PROPERTY} is {@code false}; reads no native state.
     */
    public static boolean isAllowedByProperty()
    {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /**
     * Register this process now if it has not yet (binds the C library: tens of milliseconds, once).
     *
     * @return true if this process is registered: its threads take part in every global expedited barrier, so a
     *         notifier here may skip its fence on a line whose sleepers issue {@link #barrier()}.
     */
    public static boolean isRegistered()
    {
        return Registration.FAILURE == null;
    }

    /**
     * @return why this process is not registered, or null if it is.
     */
    public static String unavailableReason()
    {
        return Registration.FAILURE;
    }

    /**
     * {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0)}: returns after every running thread of every registered
     * process passed a full barrier (about a microsecond or two; a sleeper calls it once per decision to sleep).
     *
     * @return true if the barrier was made; false if this process is not registered or the call failed (the caller
     *         must then not rely on it).
     */
    public static boolean barrier()
    {
        return isRegistered() && callNative(CMD_GLOBAL_EXPEDITED) == 0;
    }

    private static long callNative(final int command)
    {
        final long result = LibC.syscall(SYS_MEMBARRIER, command, 0, 0); // membarrier(cmd, flags, cpu_id): three arguments
        return result < 0 ? -Native.getLastError() : result;
    }
}
