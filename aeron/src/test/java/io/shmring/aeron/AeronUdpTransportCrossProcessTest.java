package io.shmring.aeron;

/**
 * The contract over {@code aeron:udp} on 127.0.0.1 with the publisher in a child JVM (its own embedded driver).
 */
class AeronUdpTransportCrossProcessTest extends AeronUdpTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
