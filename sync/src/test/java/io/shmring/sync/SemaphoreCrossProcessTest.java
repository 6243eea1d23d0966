package io.shmring.sync;

class SemaphoreCrossProcessTest extends AbstractEventcountCrossProcessTest
{
    @Override
    WakeMechanism mechanism()
    {
        return WakeMechanism.SEMAPHORE;
    }
}
