package io.shmring.ringbuffer;

class SpscPingPongCrossProcessTest extends AbstractPingPongCrossProcessTest
{
    @Override
    RingKind kind()
    {
        return RingKind.SPSC;
    }

    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.spsc(capacity);
    }
}
