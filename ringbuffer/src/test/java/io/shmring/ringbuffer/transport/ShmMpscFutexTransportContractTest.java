package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an MPSC ring and {@code wait=futex}: take and timed offer sleep on the
 * ring's futex words. Both ends in this process.
 */
class ShmMpscFutexTransportContractTest extends ShmMpscTransportContractTest
{
    @Override
    String waitValue()
    {
        return "futex";
    }
}
