package io.shmring.sync;

import io.shmring.sync.internal.Membarrier;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cross-process ping-pong on a {@link WakeProtocol#MEMBARRIER} line: both processes registered, so every notifier
 * skips its fence and every sleeper issues membarrier before its last check; the judge fails any lost wakeup.
 */
class FutexMembarrierCrossProcessTest extends FutexCrossProcessTest
{
    @BeforeEach
    void requireMembarrier()
    {
        assumeTrue(Membarrier.isRegistered(), "membarrier unavailable here: " + Membarrier.unavailableReason());
    }

    @Override
    WakeProtocol protocol()
    {
        return WakeProtocol.MEMBARRIER;
    }

    @Override
    Eventcount.Mode expectedMode()
    {
        return Eventcount.Mode.MEMBARRIER;
    }
}
