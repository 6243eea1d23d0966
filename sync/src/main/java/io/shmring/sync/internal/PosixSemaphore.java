package io.shmring.sync.internal;

import com.sun.jna.Native;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * An unnamed POSIX semaphore living in shared memory, initialised with {@code pshared=1} so every
 * process mapping the region can post and wait on it: the portable alternative to {@link Futex}.
 * <p>
 * The memory must hold {@link #SEMAPHORE_LENGTH} bytes, 8-aligned. It is initialised once, by
 * whoever creates the region ({@link #initialize}), before any other process uses it; other
 * processes only wrap it. {@link #acquire} is used by one thread at a time (it owns a reusable
 * native timespec); {@link #post} may be called from any thread. Neither allocates.
 */
public final class PosixSemaphore
{
    /** Bytes reserved for a {@code sem_t}: glibc's is 32 on x86_64 and aarch64; the rest is headroom. */
    public static final int SEMAPHORE_LENGTH = 64;

    /** {@link #acquire} result: a post was taken. */
    public static final int ACQUIRED = 0;
    /** {@link #acquire} result: the timeout passed (ETIMEDOUT). */
    public static final int TIMED_OUT = 2;
    /** {@link #acquire} result: a signal handler ran (EINTR); the caller re-checks and waits again. */
    public static final int SIGNALLED = 3;

    private static final int SEMAPHORE_ALIGNMENT = Long.BYTES;

    private final long address;
    private final NativeTimespec deadline = new NativeTimespec();
    private final UnsafeBuffer valueOut = new UnsafeBuffer(ByteBuffer.allocateDirect(Integer.BYTES));

    /**
     * Wrap a semaphore already initialised by {@link #initialize}.
     *
     * @param buffer off-heap memory, normally a shared mapping.
     * @param offset index of the semaphore in {@code buffer}.
     * @throws UnsupportedOperationException if POSIX semaphores cannot be bound here.
     * @throws IllegalArgumentException      if the buffer is on-heap, or the offset out of range or misaligned.
     */
    public PosixSemaphore(final AtomicBuffer buffer, final int offset)
    {
        LibSemaphore.checkLoaded();
        LibC.checkLoaded();
        this.address = NativeAddresses.address(buffer, offset, SEMAPHORE_LENGTH, SEMAPHORE_ALIGNMENT, "semaphore");
    }

    /**
     * {@code sem_init(address, pshared=1, value=0)}: make the memory a process-shared semaphore with
     * no posts. Call once, before any process uses it.
     *
     * @param buffer off-heap memory, normally a shared mapping.
     * @param offset index of the semaphore in {@code buffer}.
     * @return the semaphore.
     * @throws IllegalStateException if {@code sem_init} fails (errno given).
     */
    public static PosixSemaphore initialize(final AtomicBuffer buffer, final int offset)
    {
        final PosixSemaphore semaphore = new PosixSemaphore(buffer, offset);
        if (LibSemaphore.sem_init(semaphore.address, 1, 0) != 0)
        {
            throw new IllegalStateException("sem_init(pshared=1) failed: errno=" + Native.getLastError() + " offset=" + offset);
        }
        return semaphore;
    }

    /**
     * @return true if POSIX semaphores can be used here.
     */
    public static boolean isSupported()
    {
        try
        {
            LibSemaphore.checkLoaded();
            LibC.checkLoaded();
            return true;
        }
        catch (final UnsupportedOperationException ex)
        {
            return false;
        }
    }

    /**
     * {@code sem_post}: add one post, waking one waiter if any sleeps.
     *
     * @return true if the post was added; false if the semaphore already holds {@code SEM_VALUE_MAX} posts
     *         ({@code EOVERFLOW}): no post is needed then, since every wait on it returns at once. A line's semaphore
     *         gets there only by bytes another process wrote (no flow leaves two billion posts untaken), and a
     *         notifier must not fail a publication that went through because of them (docs/LAYOUT.md 4.8).
     * @throws IllegalStateException if it fails otherwise (errno given).
     */
    public boolean post()
    {
        if (LibSemaphore.sem_post(address) == 0)
        {
            return true;
        }
        final int errno = Native.getLastError();
        if (errno == Errno.EOVERFLOW)
        {
            return false;
        }
        throw new IllegalStateException("sem_post failed: " + Errno.name(errno) + " (errno=" + errno + ") address=0x" +
            Long.toHexString(address));
    }

    /**
     * {@code sem_trywait}: take a post if one is there, never sleeping.
     *
     * @return true if a post was taken.
     */
    public boolean tryAcquire()
    {
        if (LibSemaphore.sem_trywait(address) == 0)
        {
            return true;
        }
        final int errno = Native.getLastError();
        if (errno == Errno.EAGAIN || errno == Errno.EINTR)
        {
            return false;
        }
        throw new IllegalStateException("sem_trywait failed: errno=" + errno + " address=0x" + Long.toHexString(address));
    }

    /**
     * Take a post, sleeping at most {@code timeoutNanos} for one: {@code sem_clockwait} on
     * CLOCK_MONOTONIC, or {@code sem_timedwait} (CLOCK_REALTIME) where that is missing.
     *
     * @param timeoutNanos longest sleep, {@code >= 0}.
     * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #SIGNALLED}.
     * @throws IllegalStateException on any other error, with its errno.
     */
    public int acquire(final long timeoutNanos)
    {
        final long nanos = Math.max(0, timeoutNanos);
        final int result = LibSemaphoreClockwait.AVAILABLE ?
            LibSemaphoreClockwait.sem_clockwait(address, NativeTimespec.CLOCK_MONOTONIC,
                deadline.absolute(NativeTimespec.CLOCK_MONOTONIC, nanos)) :
            LibSemaphore.sem_timedwait(address, deadline.absolute(NativeTimespec.CLOCK_REALTIME, nanos));
        if (result == 0)
        {
            return ACQUIRED;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EINTR:
                return SIGNALLED;
            default:
                throw new IllegalStateException("semaphore wait failed: errno=" + errno +
                    " address=0x" + Long.toHexString(address));
        }
    }

    /**
     * @return {@code sem_getvalue}: posts not yet taken (0 when threads wait; glibc never reports waiters as negative).
     */
    public int value()
    {
        if (LibSemaphore.sem_getvalue(address, valueOut.addressOffset()) != 0)
        {
            throw new IllegalStateException("sem_getvalue failed: errno=" + Native.getLastError() +
                " address=0x" + Long.toHexString(address));
        }
        return valueOut.getInt(0);
    }

    /**
     * @return the address of the semaphore in this process.
     */
    public long address()
    {
        return address;
    }
}
