package io.shmring.aeron;

/**
 * The contract over {@code aeron:ipc} with the publisher in a child JVM that uses this JVM's embedded driver as its
 * external driver ({@code aeronDir}, from {@link AeronSubscriber#publisherUri()}).
 */
class AeronIpcTransportCrossProcessTest extends AeronIpcTransportContractTest
{
    @Override
    protected boolean crossProcess()
    {
        return true;
    }
}
