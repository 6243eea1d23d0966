package io.shmring.core.contract;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.SocketSubscriber;
import io.shmring.core.test.RawSocketPeer;

import java.net.InetSocketAddress;
import java.nio.channels.WritableByteChannel;

/**
 * The contract over {@code tcp:} on loopback, both ends in this process.
 */
class TcpTransportContractTest extends TransportContractTest
{
    @Override
    protected Subscriber openSubscriber()
    {
        return Transports.subscriber("tcp://127.0.0.1:0?maxMessageLength=" + MAX_MESSAGE_LENGTH);
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Transports.publisher(publisherUri(subscriber));
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return "tcp://127.0.0.1:" + port(subscriber) + "?maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }

    @Override
    protected WritableByteChannel openRawChannel(final Subscriber subscriber) throws Exception
    {
        return RawSocketPeer.connectTcp(port(subscriber));
    }

    @Override
    protected boolean acceptsSeveralPublishers()
    {
        return true;
    }

    private static int port(final Subscriber subscriber)
    {
        return ((InetSocketAddress)((SocketSubscriber)subscriber).localAddress()).getPort();
    }
}
