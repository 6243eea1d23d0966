package io.shmring.sync;

import io.shmring.sync.internal.Futex;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * {@link Eventcount} sleeping with FUTEX_WAIT on the line's sequence word and woken by FUTEX_WAKE
 * of every sleeper (several MPSC producers may wait for space on one line).
 */
final class FutexEventcount extends Eventcount
{
    private Futex futex;

    FutexEventcount(final AtomicBuffer buffer, final int lineOffset, final MappingCheck mapping, final WakeProtocol protocol)
    {
        super(buffer, lineOffset, mapping, protocol);
    }

    @Override
    public WakeMechanism mechanism()
    {
        return WakeMechanism.FUTEX;
    }

    @Override
    void prepareNative()
    {
        futex();
    }

    @Override
    int sleep(final int seenSequence, final long nanos)
    {
        switch (futex().await(seenSequence, nanos))
        {
            case Futex.WOKEN:
                return WOKEN;
            case Futex.VALUE_CHANGED:
                return VALUE_CHANGED;
            case Futex.TIMED_OUT:
                return EXPIRED;
            default:
                return SIGNALLED;
        }
    }

    @Override
    boolean mayReturnOnWake()
    {
        return true; // FUTEX_WAKE wakes every sleeper, and FUTEX_WAIT never sleeps on a sequence that moved
    }

    @Override
    int wake(final int waiters)
    {
        futex().wake(Integer.MAX_VALUE);
        return 1;
    }

    private Futex futex()
    {
        if (futex == null)
        {
            futex = new Futex(buffer(), lineOffset() + WakeLineDescriptor.SEQUENCE_OFFSET);
        }
        return futex;
    }
}
