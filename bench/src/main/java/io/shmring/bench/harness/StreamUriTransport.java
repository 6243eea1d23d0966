package io.shmring.bench.harness;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.SocketSubscriber;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * shmring's stream adapters opened by URI as an application would: {@code uds:}, {@code fifo:} or
 * {@code tcp://127.0.0.1}. Each side's subscriber is made first (it binds the socket or makes the FIFO;
 * a TCP subscriber takes a free port and announces it), then the publisher connects to the peer's.
 * The receiver busy-polls (one non-blocking read or select per poll), like the spinning ring peers.
 */
final class StreamUriTransport implements Transport
{
    private static final String PORT = "port";

    private final String name;
    private final String scheme;

    /**
     * @param name   CSV name.
     * @param scheme {@code uds}, {@code fifo} or {@code tcp}.
     */
    StreamUriTransport(final String name, final String scheme)
    {
        this.name = name;
        this.scheme = scheme;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "shmring " + scheme + " stream adapter (Transports URI), busy-poll of non-blocking reads";
    }

    @Override
    public boolean blocking()
    {
        return false;
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context)
    {
        final boolean parent = role == Role.PARENT;
        final String incoming = parent ? "pong" : "ping";
        final Subscriber subscriber = Transports.subscriber(subscriberUri(context, incoming));
        return new StreamSide(context, subscriber, parent);
    }

    private String subscriberUri(final TransportContext context, final String channel)
    {
        final String limit = "maxMessageLength=" + MAX_MESSAGE_LENGTH;
        if ("tcp".equals(scheme))
        {
            return "tcp://127.0.0.1:0?" + limit;
        }
        return scheme + ":" + context.directory().resolve(name + "-" + channel + (scheme.equals("uds") ? ".sock" : ".fifo")) +
            "?" + limit;
    }

    private String publisherUri(final TransportContext context, final String channel, final Map<String, String> fromPeer)
    {
        final String parameters = "maxMessageLength=" + MAX_MESSAGE_LENGTH + "&batch=" + context.streamBatch();
        if ("tcp".equals(scheme))
        {
            return "tcp://127.0.0.1:" + fromPeer.get(PORT) + "?" + parameters;
        }
        return scheme + ":" + context.directory().resolve(name + "-" + channel + (scheme.equals("uds") ? ".sock" : ".fifo")) +
            "?" + parameters;
    }

    /**
     * A subscriber made at open, a publisher made at connect.
     */
    private final class StreamSide extends ConnectedSide
    {
        StreamSide(final TransportContext context, final Subscriber subscriber, final boolean parent)
        {
            super(context, parent, subscriber);
        }

        @Override
        public Map<String, String> announce()
        {
            if (subscriber instanceof SocketSubscriber && "tcp".equals(scheme))
            {
                final InetSocketAddress address = (InetSocketAddress)((SocketSubscriber)subscriber).localAddress();
                return Map.of(PORT, String.valueOf(address.getPort()));
            }
            return Map.of();
        }

        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
            final String outgoing = parent ? "ping" : "pong";
            receiver = new SpinningSubscriberReceiver(subscriber, context.spinWait(name + (parent ? " pong" : " ping")), null);
            final Publisher publisher = Transports.publisher(publisherUri(context, outgoing, fromPeer));
            sender = new SpinningPublisherSender(publisher, context.spinWait(name + " " + outgoing), null);
        }
    }
}
