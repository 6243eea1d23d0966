package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an SPSC ring, both ends in this process.
 */
class ShmSpscTransportContractTest extends ShmTransportContractTest
{
    @Override
    String kind()
    {
        return "spsc";
    }
}
