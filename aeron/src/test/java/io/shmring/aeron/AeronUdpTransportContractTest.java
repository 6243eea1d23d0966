package io.shmring.aeron;

/**
 * The contract over {@code aeron:udp} on 127.0.0.1 (a free port the subscriber binds), both ends in this process.
 */
class AeronUdpTransportContractTest extends AeronTransportContractTest
{
    @Override
    String subscriberUri()
    {
        return "aeron:udp?endpoint=127.0.0.1:0|term-length=64k&maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }
}
