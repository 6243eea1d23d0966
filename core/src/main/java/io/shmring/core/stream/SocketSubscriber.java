package io.shmring.core.stream;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Subscriber} listening on a server socket (Unix domain or TCP) that accepts any number of
 * publishers and delivers their frames, each connection through its own {@link FrameReader}, visiting
 * connections in turn so one busy publisher cannot starve the others. Order holds per publisher.
 * <p>
 * Everything goes through one selector: a poll asks it once ({@code selectNow}) which connections have
 * input or are waiting to be accepted; {@link #take} sleeps in it. A connection the {@link PeerFilter}
 * refuses is closed at once and counted. A connection that breaks the frame format is closed, counted,
 * and its {@link FrameStreamException} thrown after its earlier frames were delivered; the others go on.
 * <p>
 * {@link #isEndOfStream()} is true once at least one publisher connected and every connected publisher
 * has closed; a publisher connecting later makes it false again. Not thread-safe.
 */
public final class SocketSubscriber implements Subscriber
{
    /**
     * Decides whether an accepted connection may publish.
     */
    @FunctionalInterface
    public interface PeerFilter
    {
        /**
         * @param channel the accepted connection.
         * @return null to accept it, or why it is refused.
         * @throws IOException if the peer cannot be identified.
         */
        String refusal(SocketChannel channel) throws IOException;
    }

    private static final System.Logger LOGGER = System.getLogger(SocketSubscriber.class.getName());

    private final String name;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final PeerFilter peerFilter;
    private final int maxMessageLength;
    private final AutoCloseable onClose;
    private final List<Peer> peers = new ArrayList<>();
    private final Consumer<SelectionKey> onReady = this::onReady;

    private int nextPeer;
    private long acceptedPeers;
    private long refusedPeers;
    private long failedPeers;
    private boolean closed;

    /**
     * @param name             what the endpoint is, for messages.
     * @param server           a bound server socket; it is switched to non-blocking mode.
     * @param peerFilter       decides who may publish.
     * @param maxMessageLength largest payload accepted.
     * @param onClose          run after the server socket is closed (e.g. to delete its file), or null.
     * @throws IOException if the selector cannot be set up.
     */
    public SocketSubscriber(
        final String name, final ServerSocketChannel server, final PeerFilter peerFilter, final int maxMessageLength,
        final AutoCloseable onClose) throws IOException
    {
        this.name = name;
        this.server = server;
        this.peerFilter = peerFilter;
        this.maxMessageLength = maxMessageLength;
        this.onClose = onClose;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        checkOpen();
        try
        {
            selector.selectNow(onReady);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("select on " + name + " failed", ex);
        }
        return drain(handler, limit);
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        checkOpen();
        try
        {
            selector.selectNow(onReady);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("select on " + name + " failed", ex);
        }
        return drain(null, handler, limit);
    }

    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final int delivered = poll(handler, limit);
            if (delivered > 0 || isEndOfStream())
            {
                return delivered;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("take interrupted: " + name);
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return 0;
            }
            try
            {
                // a thread interrupt wakes the selector; checked above on the next turn
                selector.select(onReady, Math.max(1, (remaining + 999_999) / 1_000_000));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("select on " + name + " failed", ex);
            }
        }
    }

    @Override
    public boolean isEndOfStream()
    {
        return acceptedPeers > 0 && peers.isEmpty();
    }

    /**
     * @return the address the server socket is bound to (for TCP, its actual port).
     * @throws UncheckedIOException if the socket cannot tell.
     */
    public SocketAddress localAddress()
    {
        try
        {
            return server.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return publishers connected now.
     */
    public int connectedPeers()
    {
        return peers.size();
    }

    /**
     * @return publishers accepted so far.
     */
    public long acceptedPeers()
    {
        return acceptedPeers;
    }

    /**
     * @return connections refused by the peer filter so far.
     */
    public long refusedPeers()
    {
        return refusedPeers;
    }

    /**
     * @return connections closed for breaking the frame format or failing to read.
     */
    public long failedPeers()
    {
        return failedPeers;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        Exception failure = null;
        for (final Peer peer : peers)
        {
            failure = closeQuietly(peer.channel, failure);
        }
        peers.clear();
        failure = closeQuietly(selector, failure);
        failure = closeQuietly(server, failure);
        failure = closeQuietly(onClose, failure);
        if (failure != null)
        {
            throw new IllegalStateException("closing " + name + " failed", failure);
        }
    }

    @Override
    public String toString()
    {
        return "SocketSubscriber{" + name + ", peers=" + peers.size() + '}';
    }

    private int drain(final MessageHandler handler, final int limit)
    {
        return drain(handler, null, limit);
    }

    /**
     * Read ready peers round-robin, with exactly one of the two handlers non-null (two parameters rather
     * than a lambda, so a poll allocates nothing).
     */
    private int drain(final MessageHandler handler, final ControlledMessageHandler controlled, final int limit)
    {
        int delivered = 0;
        final int count = peers.size();
        for (int i = 0; i < count && delivered < limit && !peers.isEmpty(); i++)
        {
            final int index = nextPeer % peers.size();
            nextPeer = index + 1;
            final Peer peer = peers.get(index);
            if (peer.readable || peer.reader.hasCompleteFrame())
            {
                peer.readable = false;
                try
                {
                    delivered += handler != null ?
                        peer.reader.poll(handler, limit - delivered) :
                        peer.reader.controlledPoll(controlled, limit - delivered);
                }
                catch (final FrameStreamException ex)
                {
                    throw dropFailed(peer, ex);
                }
                catch (final IOException ex)
                {
                    dropBroken(peer, ex);
                    continue;
                }
                dropIfEnded(peer);
            }
        }
        return delivered;
    }

    private void onReady(final SelectionKey key)
    {
        if (key.isAcceptable())
        {
            acceptAll();
        }
        else if (key.isValid() && key.isReadable())
        {
            ((Peer)key.attachment()).readable = true;
        }
    }

    private void acceptAll()
    {
        while (true)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("accept on " + name + " failed", ex);
            }
            if (channel == null)
            {
                return;
            }
            try
            {
                final String refusal = peerFilter.refusal(channel);
                if (refusal != null)
                {
                    refusedPeers++;
                    LOGGER.log(System.Logger.Level.WARNING, "{0}: refused publisher: {1}", name, refusal);
                    channel.close();
                    continue;
                }
                channel.configureBlocking(false);
                final Peer peer = new Peer(channel, new FrameReader(channel, maxMessageLength));
                channel.register(selector, SelectionKey.OP_READ, peer);
                peer.readable = true;
                peers.add(peer);
                acceptedPeers++;
            }
            catch (final IOException ex)
            {
                refusedPeers++;
                LOGGER.log(System.Logger.Level.WARNING, "{0}: cannot set up publisher connection: {1}", name, ex);
                closeQuietly(channel, null);
            }
        }
    }

    private void dropIfEnded(final Peer peer)
    {
        if (peer.reader.isEndOfStream())
        {
            remove(peer);
        }
    }

    private FrameStreamException dropFailed(final Peer peer, final FrameStreamException ex)
    {
        failedPeers++;
        remove(peer);
        return ex;
    }

    private void dropBroken(final Peer peer, final IOException ex)
    {
        failedPeers++;
        LOGGER.log(System.Logger.Level.WARNING, "{0}: publisher connection failed: {1}", name, ex);
        remove(peer);
    }

    private void remove(final Peer peer)
    {
        peers.remove(peer);
        closeQuietly(peer.channel, null); // also cancels its selection key
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("subscriber is closed: " + name);
        }
    }

    private static Exception closeQuietly(final AutoCloseable closeable, final Exception failure)
    {
        if (closeable == null)
        {
            return failure;
        }
        try
        {
            closeable.close();
            return failure;
        }
        catch (final Exception ex)
        {
            return failure == null ? ex : failure;
        }
    }

    private static final class Peer
    {
        private final SocketChannel channel;
        private final FrameReader reader;
        private boolean readable;

        Peer(final SocketChannel channel, final FrameReader reader)
        {
            this.channel = channel;
            this.reader = reader;
        }
    }
}
