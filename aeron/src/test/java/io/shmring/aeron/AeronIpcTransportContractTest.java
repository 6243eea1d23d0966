package io.shmring.aeron;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The contract over {@code aeron:ipc} through this JVM's embedded driver, both ends in this process.
 */
class AeronIpcTransportContractTest extends AeronTransportContractTest
{
    private final int streamId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);

    @Override
    String subscriberUri()
    {
        return "aeron:ipc?term-length=64k&streamId=" + streamId + "&maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }
}
