package io.shmring.sync;

class FutexCrossProcessTest extends AbstractEventcountCrossProcessTest
{
    @Override
    WakeMechanism mechanism()
    {
        return WakeMechanism.FUTEX;
    }
}
