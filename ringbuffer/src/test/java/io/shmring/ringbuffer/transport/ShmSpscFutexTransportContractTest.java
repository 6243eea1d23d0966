package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an SPSC ring and {@code wait=futex}: take and timed offer sleep on the
 * ring's futex words. Both ends in this process.
 */
class ShmSpscFutexTransportContractTest extends ShmSpscTransportContractTest
{
    @Override
    String waitValue()
    {
        return "futex";
    }
}
