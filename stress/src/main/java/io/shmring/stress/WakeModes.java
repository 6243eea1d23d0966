package io.shmring.stress;

import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.sync.Eventcount;
import io.shmring.sync.WakeProtocol;
import io.shmring.sync.internal.Membarrier;

/**
 * Which Dekker pair the wake tests run: a ring made here is layout version 3 ({@link #RING_PROTOCOL}: MEMBARRIER) unless
 * the JVM runs with {@code -Dshmring.stress.wakeProtocol=FENCED} (then version 2, the library's default); with
 * {@code -Dshmring.membarrier=false} the process cannot issue membarrier; on version 3 a JVM registered for it runs the notifier's
 * fence-free signal against the waiter's membarrier before its re-check, one that is not registered fences on both sides
 * and polls. A test state checks its ends run the path expected, so a test meant for one path never silently runs another.
 */
final class WakeModes
{
    /** The wake protocol of every ring the stress tests make: MEMBARRIER unless {@code shmring.stress.wakeProtocol} says. */
    static final WakeProtocol RING_PROTOCOL = WakeProtocol.valueOf(System.getProperty("shmring.stress.wakeProtocol", "MEMBARRIER"));

    private WakeModes()
    {
    }

    /**
     * @param file the ring.
     * @return the mode every eventcount of this JVM on the ring must run.
     */
    static Eventcount.Mode expected(final RingFile file)
    {
        if (file.wakeProtocol() == WakeProtocol.FENCED)
        {
            return Eventcount.Mode.FENCED;
        }
        return Membarrier.isRegistered() ? Eventcount.Mode.MEMBARRIER : Eventcount.Mode.FENCED_POLLING;
    }

    /**
     * @param file the ring.
     * @param ends the wake lines of each end under test.
     * @throws IllegalStateException naming the end if one runs another mode than {@link #expected}.
     */
    static void check(final RingFile file, final RingWakeups... ends)
    {
        final Eventcount.Mode expected = expected(file);
        for (final RingWakeups end : ends)
        {
            if (end.notEmpty().mode() != expected || end.notFull().mode() != expected)
            {
                throw new IllegalStateException("wake test on the wrong path: expected=" + expected + " end=" + end);
            }
        }
    }
}
