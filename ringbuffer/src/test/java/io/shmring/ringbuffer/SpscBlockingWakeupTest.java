package io.shmring.ringbuffer;

class SpscBlockingWakeupTest extends AbstractBlockingWakeupTest
{
    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.spsc(capacity);
    }
}
