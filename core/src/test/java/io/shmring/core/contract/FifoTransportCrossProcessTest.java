package io.shmring.core.contract;

/**
 * The contract over {@code fifo:} with the publisher in a child JVM.
 */
class FifoTransportCrossProcessTest extends FifoTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
