package io.shmring.sync.internal;

import io.shmring.sync.Eventcount;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of a wake line: the 128 bytes of shared memory one {@link Eventcount} lives in (a ring
 * reserves one for "not empty" and one for "not full"). Little-endian, offsets from the line start;
 * the line must be 64-aligned in memory.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             Sequence (int32, the futex word)                  |   0
 *  +---------------------------------------------------------------+
 *  |             Waiters (int32, threads registered to sleep)      |   4
 *  +---------------------------------------------------------------+
 *  |             Wake Pending (int32, 0 or 1)                      |   8
 *  +---------------------------------------------------------------+
 *  |             Reserved (zero) up to 64                         ... 12
 *  +---------------------------------------------------------------+
 *  |             Semaphore (sem_t, pshared; 64 bytes reserved,    ...  64
 *  |             used only by the SEMAPHORE wake mechanism)        |
 *  +---------------------------------------------------------------+ 128
 * </pre>
 * Sequence: bumped (atomic add, wrapping) by a notifier that found waiters, before it wakes them;
 * a futex waiter sleeps only while it still holds the value read before its last check.
 * Waiters: atomically incremented before a waiter's last check and decremented after it returns;
 * a notifier makes a wake call only when it reads a non-zero count.
 * Wake Pending: set (CAS 0 to 1) by the notifier that makes a wake call; cleared by every waiter right
 * after it reads the sequence and before its check. A notifier that finds it set skips its wake call:
 * every sleeper cleared the flag, with a full fence, before its last check, so that check saw this
 * notifier's publication, and a sequence bumped since the sleeper's read makes its futex wait return. This keeps a producer from making one wake call per message
 * while the woken consumer has not yet run.
 * Semaphore: initialised with {@code sem_init(pshared=1, value=0)} by whoever creates the line.
 */
public final class WakeLineDescriptor
{
    /** Alignment the line must have in memory; the semaphore starts on the second such boundary. */
    public static final int ALIGNMENT = 64;

    /** Sequence (int32; the futex word). */
    public static final int SEQUENCE_OFFSET = 0;
    /** Waiters (int32): sleepers that announced themselves. */
    public static final int WAITERS_OFFSET = SEQUENCE_OFFSET + Integer.BYTES;
    /** Wake pending (int32): a wake call is on its way. */
    public static final int WAKE_PENDING_OFFSET = WAITERS_OFFSET + Integer.BYTES;
    /** The semaphore gets its own 64 bytes so sem_t's internal fields never share them with the counters. */
    public static final int SEMAPHORE_OFFSET = ALIGNMENT;
    /** Bytes of a wake line. */
    public static final int LENGTH = SEMAPHORE_OFFSET + PosixSemaphore.SEMAPHORE_LENGTH;

    private WakeLineDescriptor()
    {
    }

    /**
     * @param buffer     memory that should hold a wake line.
     * @param lineOffset index of the line in {@code buffer}.
     * @throws IllegalArgumentException if the buffer is on-heap, the line does not fit, or is not 64-aligned.
     */
    public static void checkLine(final AtomicBuffer buffer, final int lineOffset)
    {
        NativeAddresses.address(buffer, lineOffset, LENGTH, ALIGNMENT, "wake line");
    }
}
