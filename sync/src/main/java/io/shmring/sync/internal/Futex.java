package io.shmring.sync.internal;

import com.sun.jna.Native;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A Linux futex on a 32-bit word in shared memory, called through {@code syscall(SYS_futex, ...)}.
 * Operations never use {@code FUTEX_PRIVATE_FLAG}: the kernel then keys the futex on the mapped
 * file page, so processes mapping the same file wait and wake on the same futex.
 * <p>
 * {@link #await} is used by one thread at a time (it owns a reusable native timespec);
 * {@link #wake} may be called from any thread. Neither allocates.
 */
public final class Futex
{
    /** {@link #await} result: woken by {@link #wake} (or spuriously). */
    public static final int WOKEN = 0;
    /** {@link #await} result: the word did not hold the expected value, so no sleep happened (EAGAIN). */
    public static final int VALUE_CHANGED = 1;
    /** {@link #await} result: the timeout passed (ETIMEDOUT). */
    public static final int TIMED_OUT = 2;
    /** {@link #await} result: a signal handler ran (EINTR); the caller re-checks and waits again. */
    public static final int SIGNALLED = 3;

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = LinuxSyscalls.number(202, 98);

    private final long address;
    private final NativeTimespec timeout = new NativeTimespec();

    /**
     * @param buffer off-heap memory holding the word, normally a shared mapping.
     * @param offset index of the word in {@code buffer}; the address must be 4-aligned.
     * @throws UnsupportedOperationException if futexes are unavailable here (see {@link #checkSupported()}).
     * @throws IllegalArgumentException      if the buffer is on-heap, or the offset out of range or misaligned.
     */
    public Futex(final AtomicBuffer buffer, final int offset)
    {
        checkSupported();
        this.address = NativeAddresses.address(buffer, offset, Integer.BYTES, Integer.BYTES, "futex word");
    }

    /**
     * @return true on Linux x86_64 or aarch64 with JNA able to bind the C library.
     */
    public static boolean isSupported()
    {
        return SYS_FUTEX > 0 && LibC.isLoaded();
    }

    /**
     * @throws UnsupportedOperationException naming {@code os.name} and {@code os.arch} if futexes are unavailable.
     */
    public static void checkSupported()
    {
        if (SYS_FUTEX <= 0)
        {
            throw new UnsupportedOperationException("futex needs Linux on x86_64 or aarch64 (use the POSIX semaphore " +
                "wake mechanism elsewhere): os.name=" + System.getProperty("os.name") +
                " os.arch=" + System.getProperty("os.arch"));
        }
        LibC.checkLoaded();
    }

    /**
     * FUTEX_WAIT: sleep while the word holds {@code expected}, at most {@code timeoutNanos}.
     *
     * @param expected     the value seen before deciding to sleep.
     * @param timeoutNanos longest sleep, {@code >= 0}.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT} or {@link #SIGNALLED}.
     * @throws IllegalStateException on any other error, with its errno.
     */
    public int await(final int expected, final long timeoutNanos)
    {
        // five arguments: FUTEX_WAIT ignores uaddr2 and val3 (futex(2); kernel/futex/syscalls.c do_futex)
        final long result = LibC.syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, timeout.relative(Math.max(0, timeoutNanos)));
        if (result == 0)
        {
            return WOKEN;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.EAGAIN:
                return VALUE_CHANGED;
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EINTR:
                return SIGNALLED;
            default:
                throw new IllegalStateException("FUTEX_WAIT failed: errno=" + errno + " address=0x" + Long.toHexString(address));
        }
    }

    /**
     * FUTEX_WAKE: wake up to {@code count} threads sleeping on the word, in any process.
     *
     * @param count most threads to wake ({@link Integer#MAX_VALUE} for all).
     * @return threads woken.
     * @throws IllegalStateException on error, with its errno.
     */
    public int wake(final int count)
    {
        // four arguments: FUTEX_WAKE ignores timeout, uaddr2 and val3 (futex(2); kernel/futex/syscalls.c do_futex)
        final long result = LibC.syscall(SYS_FUTEX, address, FUTEX_WAKE, count);
        if (result < 0)
        {
            throw new IllegalStateException("FUTEX_WAKE failed: errno=" + Native.getLastError() +
                " address=0x" + Long.toHexString(address));
        }
        return (int)result;
    }

    /**
     * @return the address of the word in this process.
     */
    public long address()
    {
        return address;
    }
}
