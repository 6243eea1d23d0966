package io.shmring.sync;

import io.shmring.sync.internal.PosixSemaphore;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * {@link Eventcount} sleeping on the line's process-shared POSIX semaphore. A notifier posts once
 * per registered waiter. Posts are counted, so one made before its waiter sleeps is not lost: the
 * waiter takes it at once. A waiter that registers but finds its condition true leaves its post
 * behind; the next sleep takes it and re-checks, a harmless extra round.
 * <p>
 * Unlike the futex broadcast, a post wakes one sleeper of its choosing: with several waiters whose
 * conditions differ (MPSC producers waiting for space for frames of different sizes) a post can go
 * to one that still cannot proceed, and another then waits for the next post or its slice.
 * <p>
 * The waiter count is read from shared memory, where any process (or a bad write) can put any value: one wake posts
 * at most {@link #MAX_POSTS_PER_WAKE} times. Waiters beyond that are woken by a later post or their slice.
 */
final class SemaphoreEventcount extends Eventcount
{
    /** Most posts one wake makes, whatever the waiter count says (docs/LAYOUT.md 4.4). */
    static final int MAX_POSTS_PER_WAKE = 64;

    private PosixSemaphore semaphore;

    SemaphoreEventcount(final AtomicBuffer buffer, final int lineOffset, final MappingCheck mapping, final WakeProtocol protocol)
    {
        super(buffer, lineOffset, mapping, protocol);
    }

    @Override
    public WakeMechanism mechanism()
    {
        return WakeMechanism.SEMAPHORE;
    }

    @Override
    void prepareNative()
    {
        semaphore();
    }

    @Override
    int sleep(final int seenSequence, final long nanos)
    {
        switch (semaphore().acquire(nanos))
        {
            case PosixSemaphore.ACQUIRED:
                return WOKEN;
            case PosixSemaphore.TIMED_OUT:
                return EXPIRED;
            default:
                return SIGNALLED;
        }
    }

    @Override
    boolean mayReturnOnWake()
    {
        return false; // another waiter may take the post a sleeper needs: the taker clears the flag on its next round
    }

    @Override
    int wake(final int waiters)
    {
        final PosixSemaphore semaphore = semaphore();
        // bounded: the count is another process's word; a negative one (written over, or a leak's underflow) still
        // stands for somebody possibly asleep, as a futex notifier wakes whenever the count is not 0
        final int posts = waiters < 0 ? 1 : Math.min(waiters, MAX_POSTS_PER_WAKE);
        for (int i = 0; i < posts; i++)
        {
            if (!semaphore.post())
            {
                break; // saturated (every wait returns at once) or overwritten (every waiter refuses it): bytes someone wrote
            }
        }
        return Math.max(posts, 0);
    }

    private PosixSemaphore semaphore()
    {
        if (semaphore == null)
        {
            semaphore = new PosixSemaphore(buffer(), lineOffset() + WakeLineDescriptor.SEMAPHORE_OFFSET);
        }
        return semaphore;
    }
}
