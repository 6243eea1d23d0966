package io.shmring.sync.internal;

import com.sun.jna.Native;

/**
 * The C library functions the futex layer calls, bound once by JNA direct mapping
 * ({@code Native.register}): a direct call allocates nothing, where interface mapping of the variadic {@code syscall}
 * costs microseconds. Pointers are passed as {@code long} addresses. If binding fails (no JNA native library, not a
 * glibc-like C library) the failure is kept and {@link #checkLoaded()} reports it instead of an
 * {@link UnsatisfiedLinkError}.
 * <p>
 * {@code syscall} is bound once per argument count a call needs, not once with all six system-call arguments: each
 * argument costs a JNA direct call about 20-30 ns of conversion (measured on a 2-vCPU Xeon KVM guest, JDK 17, JNA
 * 5: 7 longs about 340 ns a call, 4 longs about 280 ns, against 125 ns for the same system call from C), and a
 * futex wake and a futex wait are on the path of every message of a sleeping flow. The C library's {@code syscall}
 * passes the registers of the arguments not given on to the kernel as they happen to be; each binding's callers use
 * it only for operations whose manual page says the kernel ignores those arguments.
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

    /**
     * {@code syscall(number, arg1, arg2, arg3)}: for system calls whose operation reads no further argument.
     *
     * @return the system call's result; -1 with errno set on failure.
     */
    static native long syscall(long number, long arg1, long arg2, long arg3);

    /**
     * {@code syscall(number, arg1, arg2, arg3, arg4)}: for system calls whose operation reads no fifth or sixth
     * argument.
     *
     * @return the system call's result; -1 with errno set on failure.
     */
    static native long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    static native int clock_gettime(int clockId, long timespecAddress);
}
