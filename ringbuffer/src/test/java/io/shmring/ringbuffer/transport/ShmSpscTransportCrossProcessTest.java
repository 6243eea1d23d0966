package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an SPSC ring, the publisher in a child JVM mapping the same file.
 */
class ShmSpscTransportCrossProcessTest extends ShmSpscTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
