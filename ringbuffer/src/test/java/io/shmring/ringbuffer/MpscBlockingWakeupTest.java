package io.shmring.ringbuffer;

class MpscBlockingWakeupTest extends AbstractBlockingWakeupTest
{
    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.mpsc(capacity);
    }
}
