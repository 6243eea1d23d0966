package io.shmring.sync.internal;

import com.sun.jna.Native;

/**
 * The C library functions the futex layer calls, bound once by JNA direct mapping
 * ({@code Native.register}): a direct call costs tens of nanoseconds and allocates nothing, where
 * interface mapping of the variadic {@code syscall} costs microseconds. Pointers are passed as
 * {@code long} addresses. If binding fails (no JNA native library, not a glibc-like C library)
 * the failure is kept and {@link #checkLoaded()} reports it instead of an {@link UnsatisfiedLinkError}.
 */
final class LibC
{
    private static final Throwable LOAD_FAILURE = register();

    private LibC()
    {
    }

    private static Throwable register()
    {
        try
        {
            Native.register(LibC.class, "c");
            return null;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return ex;
        }
    }

    /**
     * @throws UnsupportedOperationException naming the platform if the C library could not be bound.
     */
    static void checkLoaded()
    {
        if (LOAD_FAILURE != null)
        {
            throw new UnsupportedOperationException("cannot bind the C library through JNA: os.name=" +
                System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch"), LOAD_FAILURE);
        }
    }

    /**
     * @return true if the C library is bound.
     */
    static boolean isLoaded()
    {
        return LOAD_FAILURE == null;
    }

    static native long syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6);

    static native int clock_gettime(int clockId, long timespecAddress);
}
