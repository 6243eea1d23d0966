package io.shmring.core.contract;

/**
 * The contract over {@code tcp:} with the publisher in a child JVM.
 */
class TcpTransportCrossProcessTest extends TcpTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
