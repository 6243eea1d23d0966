package io.shmring.core.contract;

/**
 * The contract over {@code uds:} with the publisher in a child JVM.
 */
class UdsTransportCrossProcessTest extends UdsTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
