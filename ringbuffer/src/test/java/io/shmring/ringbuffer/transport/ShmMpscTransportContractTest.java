package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an MPSC ring, both ends in this process.
 */
class ShmMpscTransportContractTest extends ShmTransportContractTest
{
    @Override
    String kind()
    {
        return "mpsc";
    }

    @Override
    protected boolean acceptsSeveralPublishers()
    {
        return true;
    }
}
