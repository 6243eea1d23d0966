package io.shmring.sync;

import io.shmring.sync.internal.Futex;
import io.shmring.sync.internal.PosixSemaphore;

/**
 * How a sleeping waiter is woken; both sides of a ring must use the same one, so it is recorded
 * in the ring file as {@link #code()}.
 */
public enum WakeMechanism
{
    /** Linux futex on the line's sequence word: the fastest, Linux x86_64/aarch64 only. */
    FUTEX(1),
    /** Process-shared POSIX semaphore inside the line: the portable alternative. */
    SEMAPHORE(2);

    private final int code;

    WakeMechanism(final int code)
    {
        this.code = code;
    }

    /**
     * @return the value stored in shared memory for this mechanism.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a value read from shared memory.
     * @return the mechanism, or null if the code names none.
     */
    public static WakeMechanism fromCode(final int code)
    {
        for (final WakeMechanism mechanism : values())
        {
            if (mechanism.code == code)
            {
                return mechanism;
            }
        }
        return null;
    }

    /**
     * @return true if this mechanism can be used on this platform.
     */
    public boolean isSupported()
    {
        return this == FUTEX ? Futex.isSupported() : PosixSemaphore.isSupported();
    }
}
