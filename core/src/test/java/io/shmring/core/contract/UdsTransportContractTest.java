package io.shmring.core.contract;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.RawSocketPeer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * The contract over {@code uds:}, both ends in this process.
 */
class UdsTransportContractTest extends TransportContractTest
{
    @TempDir
    Path directory;

    Path socket()
    {
        return directory.resolve("contract.sock");
    }

    @Override
    protected Subscriber openSubscriber()
    {
        return Transports.subscriber("uds:" + socket() + "?maxMessageLength=" + MAX_MESSAGE_LENGTH);
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Transports.publisher(publisherUri(subscriber));
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return "uds:" + socket() + "?maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }

    @Override
    protected WritableByteChannel openRawChannel(final Subscriber subscriber) throws Exception
    {
        return RawSocketPeer.connectUds(socket());
    }

    @Override
    protected boolean acceptsSeveralPublishers()
    {
        return true;
    }
}
