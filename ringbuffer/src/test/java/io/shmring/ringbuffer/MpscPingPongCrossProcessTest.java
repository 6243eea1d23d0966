package io.shmring.ringbuffer;

class MpscPingPongCrossProcessTest extends AbstractPingPongCrossProcessTest
{
    @Override
    RingKind kind()
    {
        return RingKind.MPSC;
    }

    @Override
    RingConfig config(final int capacity)
    {
        return RingConfig.mpsc(capacity);
    }
}
