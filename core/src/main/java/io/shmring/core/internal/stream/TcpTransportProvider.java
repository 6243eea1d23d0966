package io.shmring.core.internal.stream;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@code tcp://host:port?maxMessageLength=64k&batch=0&noDelay=true}: TCP. Without a host (or with
 * {@code localhost}) both sides use the loopback address; the subscriber binds only there unless
 * another host is written. Port 0 on the subscriber takes a free port
 * ({@link SocketSubscriber#localAddress()}). The subscriber accepts up to {@code maxConnections}
 * (default 64) connections at once and refuses more, telling them ({@link StreamHello}), and drops a connection
 * that has not answered with the publisher's hello within {@code helloTimeoutMs} (default 10000); a publisher waits
 * up to {@code acceptTimeoutMs} (default 10000) to be accepted, and sets {@code TCP_NODELAY} unless
 * {@code noDelay=false}. TCP checks no identity: anyone who can reach the port may publish.
 */
public final class TcpTransportProvider implements TransportProvider
{
    /** Publisher: disable Nagle's algorithm (default true), so a lone small frame leaves at once. */
    public static final String NO_DELAY = "noDelay";

    @Override
    public String scheme()
    {
        return "tcp";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(StreamParameters.MAX_MESSAGE_LENGTH, StreamParameters.BATCH, NO_DELAY,
            StreamParameters.MAX_CONNECTIONS, StreamParameters.ACCEPT_TIMEOUT_MS, StreamParameters.TOTAL_BUFFER_BYTES,
            StreamParameters.HELLO_TIMEOUT_MS);
    }

    @Override
    public String example()
    {
        return "tcp://127.0.0.1:7000";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        final InetSocketAddress address = new InetSocketAddress(host(uri), port(uri, 1));
        final boolean noDelay = uri.getBoolean(NO_DELAY, true);
        StreamParameters.refuseOtherSide(uri, "publisher", StreamParameters.MAX_CONNECTIONS,
            StreamParameters.TOTAL_BUFFER_BYTES, StreamParameters.HELLO_TIMEOUT_MS);
        final long acceptTimeoutNs = StreamParameters.acceptTimeoutNs(uri);
        final String name = uri.toString();
        return new StreamPublisher(name, () -> tryConnect(address, noDelay, acceptTimeoutNs, name),
            StreamParameters.maxMessageLength(uri), StreamParameters.batchBytes(uri), null);
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final InetSocketAddress address = new InetSocketAddress(host(uri), port(uri, 0));
        final int maxMessageLength = StreamParameters.maxMessageLength(uri);
        final int maxConnections = StreamParameters.maxConnections(uri);
        final long totalBufferBytes = StreamParameters.totalBufferBytes(uri, maxMessageLength);
        final long helloTimeoutNs = StreamParameters.helloTimeoutNs(uri);
        StreamParameters.refuseOtherSide(uri, "subscriber", StreamParameters.BATCH, NO_DELAY, StreamParameters.ACCEPT_TIMEOUT_MS);
        ServerSocketChannel server = null;
        try
        {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
            return new SocketSubscriber(uri.toString(), server, (channel) -> null, maxMessageLength, maxConnections,
                helloTimeoutNs, totalBufferBytes, null);
        }
        catch (final IOException ex)
        {
            if (server != null)
            {
                try
                {
                    server.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot listen on " + address + " for " + uri, ex);
        }
    }

    private static SocketChannel tryConnect(
        final InetSocketAddress address, final boolean noDelay, final long acceptTimeoutNs, final String name) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
            channel.connect(address);
            StreamHello.handshake(channel, acceptTimeoutNs, name);
            return channel;
        }
        catch (final ConnectException ex)
        {
            channel.close();
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static InetAddress host(final TransportUri uri)
    {
        final String host = uri.host();
        if (host == null)
        {
            throw new IllegalArgumentException("tcp URI needs //host:port, as in tcp://127.0.0.1:7000: uri=" + uri);
        }
        if (host.isEmpty() || "localhost".equals(host))
        {
            return InetAddress.getLoopbackAddress();
        }
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("unknown host: host=" + host + " uri=" + uri, ex);
        }
    }

    private static int port(final TransportUri uri, final int min)
    {
        if (uri.port() < min)
        {
            throw new IllegalArgumentException("tcp URI needs a port in " + min + "..65535, as in tcp://127.0.0.1:7000: port=" +
                uri.port() + " uri=" + uri);
        }
        return uri.port();
    }
}
