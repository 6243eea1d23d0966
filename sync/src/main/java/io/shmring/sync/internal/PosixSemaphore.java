package io.shmring.sync.internal;

import io.shmring.sync.CorruptWakeLineException;
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

    /**
     * Where this C library's {@code sem_t} keeps whether the semaphore is process-shared (bytes from its start), and
     * the word {@code sem_init(pshared=1)} writes there; -1 if no word tells the two kinds apart (then nothing is
     * checked). Found once by initialising a process-shared and a private semaphore side by side in scratch memory
     * (glibc 2.21+ on x86_64 and aarch64: +8, holding 0x80). glibc aborts the process when that word holds
     * anything else (its futex call fails with EINVAL or ENOSYS, which it treats as a broken invariant).
     */
    private static final int SHARED_WORD_OFFSET;
    private static final int SHARED_WORD;

    static
    {
        int offset = -1;
        int word = 0;
        if (isSupported())
        {
            final UnsafeBuffer shared = new UnsafeBuffer(ByteBuffer.allocateDirect(SEMAPHORE_LENGTH + SEMAPHORE_ALIGNMENT));
            final UnsafeBuffer unshared = new UnsafeBuffer(ByteBuffer.allocateDirect(SEMAPHORE_LENGTH + SEMAPHORE_ALIGNMENT));
            final long sharedAddress = align(shared.addressOffset());
            final long unsharedAddress = align(unshared.addressOffset());
            if (LibSemaphore.sem_init(sharedAddress, 1, 0) == 0 && LibSemaphore.sem_init(unsharedAddress, 0, 0) == 0)
            {
                final int sharedStart = (int)(sharedAddress - shared.addressOffset());
                final int unsharedStart = (int)(unsharedAddress - unshared.addressOffset());
                for (int i = 0; i < SEMAPHORE_LENGTH; i += Integer.BYTES)
                {
                    if (shared.getInt(sharedStart + i) != unshared.getInt(unsharedStart + i))
                    {
                        offset = i;
                        word = shared.getInt(sharedStart + i);
                        break;
                    }
                }
            }
        }
        SHARED_WORD_OFFSET = offset;
        SHARED_WORD = word;
    }

    private final AtomicBuffer buffer;
    private final int offset;
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
        this.buffer = buffer;
        this.offset = offset;
    }

    private static long align(final long address)
    {
        return (address + SEMAPHORE_ALIGNMENT - 1) & -SEMAPHORE_ALIGNMENT;
    }

    /**
     * @return false if the C library would abort the process on this semaphore: its process-shared word is not what
     *         {@code sem_init(pshared=1)} wrote (bytes another process wrote over it). One load and compare, before every
     *         call into the C library with it; a write between this check and the call stays uncatchable
     *         (docs/LAYOUT.md 4.8).
     */
    private boolean isIntact()
    {
        return SHARED_WORD_OFFSET < 0 || buffer.getIntVolatile(offset + SHARED_WORD_OFFSET) == SHARED_WORD; // volatile: another process's write
    }

    /**
     * @throws CorruptWakeLineException naming the word and its offset, unless {@link #isIntact()}.
     */
    private void checkIntact()
    {
        if (!isIntact())
        {
            final int word = buffer.getIntVolatile(offset + SHARED_WORD_OFFSET); // volatile: as above
            throw new CorruptWakeLineException(offset + SHARED_WORD_OFFSET, word & 0xFFFF_FFFFL,
                "0x" + Integer.toHexString(word) + " where sem_init(pshared=1) wrote 0x" + Integer.toHexString(SHARED_WORD) +
                " in the semaphore at offset " + offset + ": the C library would abort the process on it");
        }
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
     * @return true if the post was added; false if none was needed or possible: the semaphore already holds
     *         {@code SEM_VALUE_MAX} posts ({@code EOVERFLOW}; every wait on it returns at once), or its bytes were
     *         overwritten so that the C library would abort the process on it (not called; every waiter refuses such a
     *         semaphore before its next sleep, {@link #acquire}). Only bytes another process wrote get a line's
     *         semaphore into either state, and a notifier must not fail a publication that went through because of
     *         them (docs/LAYOUT.md 4.8).
     * @throws IllegalStateException if it fails otherwise (errno given).
     */
    public boolean post()
    {
        if (!isIntact())
        {
            return false;
        }
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
     * @throws CorruptWakeLineException if the semaphore's bytes were overwritten (the C library would abort on them).
     */
    public boolean tryAcquire()
    {
        checkIntact();
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
     * @throws CorruptWakeLineException if the semaphore's bytes were overwritten (the C library would abort on them).
     */
    public int acquire(final long timeoutNanos)
    {
        checkIntact();
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
     * @throws CorruptWakeLineException if the semaphore's bytes were overwritten (the C library would abort on them).
     */
    public int value()
    {
        checkIntact();
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
