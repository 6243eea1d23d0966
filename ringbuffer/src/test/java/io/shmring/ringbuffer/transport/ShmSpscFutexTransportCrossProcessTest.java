package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an SPSC ring and {@code wait=futex}, the publisher in a child JVM
 * waking this JVM's sleeping take across the process boundary.
 */
class ShmSpscFutexTransportCrossProcessTest extends ShmSpscFutexTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
