package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an MPSC ring, the publisher in a child JVM mapping the same file.
 */
class ShmMpscTransportCrossProcessTest extends ShmMpscTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
