package io.shmring.ringbuffer.transport;

/**
 * The contract over {@code shm:} with an MPSC ring and {@code wait=semaphore}: take and timed offer sleep on the
 * ring's process-shared semaphores. Both ends in this process.
 */
class ShmMpscSemaphoreTransportContractTest extends ShmMpscTransportContractTest
{
    @Override
    String waitValue()
    {
        return "semaphore";
    }
}
