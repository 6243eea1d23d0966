package io.shmring.ringbuffer;

class MpscInterruptTest extends AbstractRingInterruptTest
{
    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.mpsc(capacity);
    }
}
