package io.shmring.sync.internal;

import com.sun.jna.Native;

/**
 * POSIX unnamed-semaphore functions, bound by JNA direct mapping. glibc before 2.34 keeps them in
 * libpthread, later ones in libc: both are tried. {@code sem_clockwait} (glibc 2.30+) is bound
 * separately in {@link LibSemaphoreClockwait} because a missing symbol fails the whole binding.
 */
final class LibSemaphore
{
    private static final Throwable LOAD_FAILURE = register();

    private LibSemaphore()
    {
    }

    private static Throwable register()
    {
        try
        {
            Native.register(LibSemaphore.class, "c");
            return null;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            try
            {
                Native.register(LibSemaphore.class, "pthread");
                return null;
            }
            catch (final LinkageError | RuntimeException ex2)
            {
                ex2.addSuppressed(ex);
                return ex2;
            }
        }
    }

    /**
     * @throws UnsupportedOperationException naming the platform if POSIX semaphores could not be bound.
     */
    static void checkLoaded()
    {
        if (LOAD_FAILURE != null)
        {
            throw new UnsupportedOperationException("POSIX semaphores unavailable through JNA: os.name=" +
                System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch"), LOAD_FAILURE);
        }
    }

    static native int sem_init(long sem, int pshared, int value);

    static native int sem_post(long sem);

    static native int sem_trywait(long sem);

    static native int sem_timedwait(long sem, long abstimeAddress);

    static native int sem_getvalue(long sem, long valueAddress);
}
