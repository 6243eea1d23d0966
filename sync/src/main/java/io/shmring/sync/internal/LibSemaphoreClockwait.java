package io.shmring.sync.internal;

import com.sun.jna.Native;

/**
 * {@code sem_clockwait} (glibc 2.30+), which takes its deadline on CLOCK_MONOTONIC so a change of
 * the wall clock cannot stretch or cut a wait. Where it is missing, {@link PosixSemaphore} falls
 * back to {@code sem_timedwait} on CLOCK_REALTIME.
 */
final class LibSemaphoreClockwait
{
    /** True if {@code sem_clockwait} is bound. */
    static final boolean AVAILABLE = register();

    private LibSemaphoreClockwait()
    {
    }

    private static boolean register()
    {
        try
        {
            Native.register(LibSemaphoreClockwait.class, "c");
            return true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return false;
        }
    }

    static native int sem_clockwait(long sem, int clockId, long abstimeAddress);
}
