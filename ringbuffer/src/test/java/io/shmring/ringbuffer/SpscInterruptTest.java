package io.shmring.ringbuffer;

class SpscInterruptTest extends AbstractRingInterruptTest
{
    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.spsc(capacity);
    }
}
