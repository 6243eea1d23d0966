package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an MPSC ring and {@code wait=futex}, the publisher in a child JVM
 * waking this JVM's sleeping take across the process boundary.
 */
class ShmMpscFutexTransportCrossProcessTest extends ShmMpscFutexTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
