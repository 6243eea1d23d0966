package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.ClosedException;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Subscriber} listening on a server socket (Unix domain or TCP) that accepts up to
 * {@code maxConnections} publishers at once and delivers their frames, each connection through its own
 * {@link FrameReader}, visiting connections in turn so one busy publisher cannot starve the others.
 * Order holds per publisher.
 * <p>
 * <b>Accepting.</b> A thread of its own ({@code shmring-accept ...}) accepts connections, so publishers
 * are answered whatever the polling thread is doing: it runs the {@link PeerFilter}, checks the
 * connection limit, and writes the {@link StreamHello} (accepted, or why not) before handing the
 * connection to the polling thread, or closing it. A publisher never sends frames that are thrown away:
 * it waits for the hello, and a refusal fails its open. An accepted connection becomes a publisher by answering
 * with the publisher's hello within {@code helloTimeoutMs}; one that does not (silent, closed, or sending other
 * bytes) is dropped like a connection that breaks the frame format, and frees its place among the
 * {@code maxConnections}. When {@code accept} fails (out of file
 * descriptors), the thread logs one warning, refuses pending publishers with the hello's "out of file
 * descriptors" status (a reserved descriptor, {@code /dev/null}, is given up for the moment of that
 * refusal), keeps serving the connections it has, and logs once more when it accepts again. It admits no
 * connection while it holds no reserve (another thread may take the reserve's descriptor in the moment it is
 * free): it refuses that one instead and keeps its descriptor as the reserve, so it can always answer.
 * <p>
 * <b>Reading.</b> Everything else happens on the thread that polls: a poll asks the selector once
 * ({@code selectNow}) which connections have input; {@link #take} sleeps in it and is woken by a new
 * connection. Idle connections hold no receive buffer: each one grows with what its publisher sends
 * ({@link FrameReader}). The buffers of all connections together hold at most {@code totalBufferBytes}: a
 * connection whose next frame needs a buffer beyond that, or beyond the JVM's direct memory, is treated
 * as a connection that breaks the frame format.
 * <p>
 * <b>A bad publisher is dropped, the others served.</b> A connection that breaks the frame format (a
 * length or type id out of range), breaks off inside a frame, or needs more receive memory than is left
 * is closed after its earlier frames were delivered, counted ({@link #failedPeers()}), logged as one
 * warning naming the publisher and the value, and kept as {@link #lastPeerFailure()}; polling goes on
 * with the other connections, so nothing another publisher sent is lost. (A single stream, a pipe or a
 * FIFO, fails its subscriber instead: there is nobody else to serve.)
 * <p>
 * <b>If accepting stops.</b> The accepting thread does not end while the subscriber is open: a failure
 * to accept is logged and retried. If it must end (the listening socket was closed under it, or the JVM
 * ran out of memory on it), every later poll and take throws an {@link IllegalStateException} saying so,
 * rather than the subscriber going on without a listener.
 * <p>
 * <b>End of stream.</b> {@link #isEndOfStream()} is true once at least one publisher (a connection that sent the
 * publisher's hello) ended cleanly (closed between frames) and no connection is left, publisher or still to say
 * hello; a connection accepted later makes it false again. A connection that is refused, dropped, or closes
 * before its hello never ends the stream: anyone who can reach the socket can do that, so it must not end a
 * subscriber. (A dropped publisher can be the last to go after one that ended cleanly.) Polling is not
 * thread-safe (one thread polls); the counters may be read from any thread.
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
         * Called on the accepting thread.
         *
         * @param channel the accepted connection.
         * @return null to accept it, or why it is refused.
         * @throws IOException if the peer cannot be identified.
         */
        String refusal(SocketChannel channel) throws IOException;
    }

    private static final System.Logger LOGGER = System.getLogger(SocketSubscriber.class.getName());
    private static final long ACCEPT_BACKOFF_MIN_MS = 1;
    private static final long ACCEPT_BACKOFF_MAX_MS = 100;
    private static final long ACCEPTOR_JOIN_MS = 10_000;
    private static final Path RESERVE_PATH = Path.of("/dev/null");

    private final String name;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final PeerFilter peerFilter;
    private final int maxMessageLength;
    private final int maxConnections;
    private final long helloTimeoutNs;
    private final ReceiveBudget budget;
    private final AutoCloseable onClose;
    /** The warnings about single connections (dropped, refused, closed before their hello), rate limited. */
    private final ConnectionLog connectionLog;
    private final List<Peer> peers = new ArrayList<>();
    private final Queue<Peer> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicLong acceptedPeers = new AtomicLong();
    private final AtomicLong refusedPeers = new AtomicLong();
    private final AtomicLong failedPeers = new AtomicLong();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Thread acceptor;

    private int nextPeer;
    private long endedPublishers; // publishers that closed between frames
    private int awaitingHello; // connections in peers that have not sent the publisher's hello yet
    private long nextHelloDeadlineNs; // no hello deadline of those passes before this (may be earlier than all)
    private FrameStreamException lastPeerFailure;
    private volatile boolean closed;
    private volatile String acceptingStopped; // why the accepting thread ended, or null; read by the polling thread

    // accepting thread only
    private FileChannel reserve;
    private boolean failing;
    private long refusedWhileFailing;
    private long backoffMs = ACCEPT_BACKOFF_MIN_MS;

    /**
     * @param name             what the endpoint is, for messages.
     * @param server           a bound server socket; it is used in blocking mode by the accepting thread.
     * @param peerFilter       decides who may publish (called on the accepting thread).
     * @param maxMessageLength largest payload accepted.
     * @param maxConnections   most connections at once, publishers and those still to send their hello; more are
     *                         refused.
     * @param helloTimeoutNs   nanoseconds an accepted connection has to send the publisher's hello before it is
     *                         dropped.
     * @param totalBufferBytes most receive buffer bytes all connections hold together (see
     *                         {@link StreamParameters#totalBufferBytes}).
     * @param onClose          run after the server socket is closed (e.g. to delete its file), or null.
     * @throws IOException              if the selector cannot be set up.
     * @throws IllegalArgumentException if {@code maxConnections}, {@code helloTimeoutNs} or {@code totalBufferBytes}
     *                                  is below 1.
     */
    public SocketSubscriber(
        final String name, final ServerSocketChannel server, final PeerFilter peerFilter, final int maxMessageLength,
        final int maxConnections, final long helloTimeoutNs, final long totalBufferBytes, final AutoCloseable onClose)
        throws IOException
    {
        this(name, server, peerFilter, maxMessageLength, maxConnections, helloTimeoutNs, totalBufferBytes, onClose,
            ConnectionLog.DEFAULT_BURST, ConnectionLog.DEFAULT_INTERVAL_NS);
    }

    /**
     * As the public constructor, with the rate limit of the warnings about single connections: at most
     * {@code logBurst} lines every {@code logIntervalNs}, then one line saying how many were left out.
     */
    SocketSubscriber(
        final String name, final ServerSocketChannel server, final PeerFilter peerFilter, final int maxMessageLength,
        final int maxConnections, final long helloTimeoutNs, final long totalBufferBytes, final AutoCloseable onClose,
        final int logBurst, final long logIntervalNs) throws IOException
    {
        if (maxConnections < 1)
        {
            throw new IllegalArgumentException("maxConnections must be at least 1: maxConnections=" + maxConnections);
        }
        if (helloTimeoutNs < 1)
        {
            throw new IllegalArgumentException("helloTimeoutNs must be at least 1: helloTimeoutNs=" + helloTimeoutNs);
        }
        this.helloTimeoutNs = helloTimeoutNs;
        this.budget = new ReceiveBudget(totalBufferBytes);
        this.name = name;
        this.server = server;
        this.peerFilter = peerFilter;
        this.maxMessageLength = maxMessageLength;
        this.maxConnections = maxConnections;
        this.onClose = onClose;
        this.connectionLog = new ConnectionLog(LOGGER, name, logBurst, logIntervalNs);
        this.selector = Selector.open();
        server.configureBlocking(true);
        loadWhatAcceptingNeeds(maxMessageLength);
        this.acceptor = new Thread(this::acceptLoop, "shmring-accept " + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Load now the classes and data that accepting, refusing and logging need: loading them later opens
     * files, and the moment they are needed may be a moment when every descriptor is taken.
     */
    private static void loadWhatAcceptingNeeds(final int maxMessageLength)
    {
        ZonedDateTime.now(); // the default log format prints local time: its rules are read from a file at first use
        LOGGER.isLoggable(System.Logger.Level.WARNING); // reads the logging configuration
        StreamHello.encode(StreamHello.ACCEPTED);
        final FrameReader reader = new FrameReader(null, maxMessageLength);
        new Peer(null, reader, "", 0).reader.release();
        StreamHello.publisherHelloProblem(StreamHello.encodePublisherHello());
        PeerCredentials.describeCurrentUser(); // loads the classes that name a publisher, and this user's name
        UnixDomainSocketAddress.class.getName();
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        selectNow();
        final int delivered = drain(handler, limit);
        expireHellos();
        if (connectionLog.hasSuppressed())
        {
            connectionLog.flushIfDue(); // lines left out of an interval that is over: say how many
        }
        return delivered;
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        selectNow();
        final int delivered = drain(null, handler, limit);
        expireHellos();
        if (connectionLog.hasSuppressed())
        {
            connectionLog.flushIfDue(); // lines left out of an interval that is over: say how many
        }
        return delivered;
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
            if (!incoming.isEmpty())
            {
                continue; // accepted while polling: register it before sleeping
            }
            long sleepNs = awaitingHello > 0 ? // wake for the next hello deadline too
                Math.min(remaining, Math.max(0, nextHelloDeadlineNs - System.nanoTime())) : remaining;
            if (connectionLog.hasSuppressed())
            {
                sleepNs = Math.min(sleepNs, connectionLog.nanosUntilDue()); // and to say how many lines were left out
            }
            try
            {
                // a thread interrupt wakes the selector, and so does the accepting thread; checked above on the next turn
                selector.select(onReady, Math.max(1, (sleepNs + 999_999) / 1_000_000));
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
        return endedPublishers > 0 && peers.isEmpty() && incoming.isEmpty();
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
     * @return connections open now, publishers and those still to send their hello, as the polling thread sees them
     * (polling thread only).
     */
    public int connectedPeers()
    {
        return peers.size();
    }

    /**
     * @return publishers accepted so far (any thread).
     */
    public long acceptedPeers()
    {
        return acceptedPeers.get();
    }

    /**
     * @return connections refused so far: by the peer filter, the connection limit or a shortage of
     * descriptors (any thread).
     */
    public long refusedPeers()
    {
        return refusedPeers.get();
    }

    /**
     * @return connections closed for breaking the frame format, failing to read, or not sending the publisher's hello
     * in time (any thread).
     */
    public long failedPeers()
    {
        return failedPeers.get();
    }

    /**
     * @return why the last connection closed for breaking the frame format (or wanting more receive memory than
     * is left, or not sending the publisher's hello) was closed, or null if none was (polling thread only).
     */
    public FrameStreamException lastPeerFailure()
    {
        return lastPeerFailure;
    }

    /**
     * @return most publishers connected at once.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * @return receive buffer bytes the connected publishers hold now (polling thread only).
     */
    public long receiveBufferBytes()
    {
        long bytes = 0;
        for (final Peer peer : peers)
        {
            bytes += peer.reader.capacity();
        }
        return bytes;
    }

    /**
     * Stop accepting (the accepting thread ends), then close every connection and the server socket.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        Exception failure = closeQuietly(server, null); // ends the accepting thread's accept
        try
        {
            acceptor.join(ACCEPTOR_JOIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (acceptor.isAlive())
        {
            LOGGER.log(System.Logger.Level.WARNING, "{0}: accepting thread still running after close", name);
        }
        for (final Peer peer : peers)
        {
            failure = closeQuietly(peer.channel, failure);
            peer.reader.release();
        }
        peers.clear();
        for (Peer peer = incoming.poll(); peer != null; peer = incoming.poll())
        {
            failure = closeQuietly(peer.channel, failure);
        }
        failure = closeQuietly(selector, failure);
        failure = closeQuietly(onClose, failure);
        connectionLog.flush();
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

    private void selectNow()
    {
        checkOpen();
        final String stopped = acceptingStopped; // volatile read: written by the accepting thread as it ends
        if (stopped != null)
        {
            throw new IllegalStateException(name + ": accepting publishers stopped, no longer listening: " + stopped);
        }
        if (!incoming.isEmpty())
        {
            registerIncoming();
        }
        try
        {
            selector.selectNow(onReady);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("select on " + name + " failed", ex);
        }
    }

    private void registerIncoming()
    {
        for (Peer peer = incoming.poll(); peer != null; peer = incoming.poll())
        {
            final SocketChannel channel = peer.channel;
            try
            {
                channel.register(selector, SelectionKey.OP_READ, peer);
            }
            catch (final IOException ex)
            {
                failedPeers.incrementAndGet();
                connectionLog.warn("{0}: cannot watch {1}: {2}", peer.name, ex);
                closeQuietly(channel, null);
                openConnections.decrementAndGet();
                continue;
            }
            peers.add(peer);
            if (awaitingHello++ == 0 || peer.helloDeadlineNs - nextHelloDeadlineNs < 0)
            {
                nextHelloDeadlineNs = peer.helloDeadlineNs;
            }
        }
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
                if (peer.hello != null && !readHello(peer))
                {
                    continue; // no publisher yet: still to come, or dropped
                }
                try
                {
                    delivered += handler != null ?
                        peer.reader.poll(handler, limit - delivered) :
                        peer.reader.controlledPoll(controlled, limit - delivered);
                }
                catch (final FrameStreamException ex)
                {
                    dropFailed(peer, ex);
                    continue;
                }
                catch (final IOException ex)
                {
                    final FrameStreamException cut = peer.reader.brokenInsideFrame(ex);
                    if (cut != null)
                    {
                        dropFailed(peer, cut);
                    }
                    else
                    {
                        dropBroken(peer, ex);
                    }
                    continue;
                }
                dropIfEnded(peer);
            }
        }
        return delivered;
    }

    /**
     * Read what has come of a connection's publisher hello; drop the connection if it closed first or sent other bytes.
     *
     * @return true once the whole hello came and is right: the connection is a publisher now.
     */
    private boolean readHello(final Peer peer)
    {
        final ByteBuffer hello = peer.hello;
        final int bytes;
        try
        {
            bytes = peer.channel.read(hello); // at most the 8 bytes of the hello: frames stay in the socket
        }
        catch (final IOException ex)
        {
            dropFailed(peer, new FrameStreamException((isPeerGone(ex) ? "closed" : "failed: " + ex.getMessage() + ",") +
                " before its publisher hello (received " + hello.position() + " of " + StreamHello.LENGTH + " bytes)", ex));
            return false;
        }
        if (bytes < 0)
        {
            dropFailed(peer, new FrameStreamException("closed before its publisher hello (received " + hello.position() +
                " of " + StreamHello.LENGTH + " bytes)"));
            return false;
        }
        if (hello.hasRemaining())
        {
            return false;
        }
        final String problem = StreamHello.publisherHelloProblem(hello);
        if (problem != null)
        {
            dropFailed(peer, new FrameStreamException(problem));
            return false;
        }
        peer.hello = null;
        awaitingHello--;
        return true;
    }

    /**
     * Drop the connections whose publisher hello is overdue (reading what came of it first, so a hello that arrived
     * while this thread was busy counts); nothing to do, and no clock read, while every connection is a publisher.
     */
    private void expireHellos()
    {
        if (awaitingHello == 0)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - nextHelloDeadlineNs < 0)
        {
            return;
        }
        long next = now + helloTimeoutNs;
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            final Peer peer = peers.get(i);
            if (peer.hello == null)
            {
                continue;
            }
            if (now - peer.helloDeadlineNs < 0)
            {
                next = peer.helloDeadlineNs - next < 0 ? peer.helloDeadlineNs : next;
            }
            else if (!readHello(peer) && !peer.removed)
            {
                dropFailed(peer, new FrameStreamException("no publisher hello within " + helloTimeoutNs / 1_000_000 +
                    " ms (helloTimeoutMs; received " + peer.hello.position() + " of " + StreamHello.LENGTH + " bytes)"));
            }
        }
        nextHelloDeadlineNs = next;
    }

    private void onReady(final SelectionKey key)
    {
        if (key.isValid() && key.isReadable())
        {
            ((Peer)key.attachment()).readable = true;
        }
    }

    /**
     * The accepting thread: accept, admit or refuse, until the server socket is closed.
     */
    private void acceptLoop()
    {
        reserve = openReserve();
        while (!closed && acceptingStopped == null)
        {
            try
            {
                acceptOnce();
            }
            catch (final VirtualMachineError ex)
            {
                stopAccepting(ex.toString()); // out of memory on this thread: end it, loudly
                break;
            }
            catch (final RuntimeException | Error ex)
            {
                // e.g. a class that could not be loaded for want of a descriptor: accepting must go on
                logSafely(System.Logger.Level.WARNING, "{0}: accepting failed, going on: {1}", name, ex);
                sleepQuietly(ACCEPT_BACKOFF_MAX_MS);
            }
        }
        closeQuietly(reserve, null);
    }

    /**
     * Accept one connection and admit or refuse it. When accepting fails (out of descriptors): log once,
     * then give up the reserved descriptor to accept a waiting publisher with, and refuse it unless
     * another descriptor is free by then; without a reserve, back off.
     */
    private void acceptOnce()
    {
        SocketChannel channel;
        try
        {
            channel = server.accept();
        }
        catch (final IOException ex)
        {
            if (stopIfListenerClosed(ex))
            {
                return;
            }
            startFailing(ex.getMessage());
            channel = acceptWithReserve();
            if (channel == null)
            {
                sleepQuietly(backoffMs);
                backoffMs = Math.min(ACCEPT_BACKOFF_MAX_MS, backoffMs * 2);
                return;
            }
        }
        if (reserve == null && (reserve = openReserve()) == null)
        {
            // The reserve's descriptor was taken in the moment it was free (another thread of this process opened a
            // file, as the JVM's own container support does now and then). Admitting this connection would leave no
            // descriptor to accept and refuse with: the listen queue would fill for good while every descriptor is held.
            startFailing("no descriptor free to keep in reserve");
            refuseForWantOfDescriptors(channel);
            return;
        }
        if (failing)
        {
            // the all-clear ends the shortage only once it was told: a line lost (logging may need a descriptor too)
            // is told at the next admission, so the log always pairs a warning with its all-clear
            if (logSafely(System.Logger.Level.INFO, "{0}: accepting publishers again ({1} refused meanwhile)",
                name, refusedWhileFailing))
            {
                failing = false;
                refusedWhileFailing = 0;
            }
        }
        backoffMs = ACCEPT_BACKOFF_MIN_MS;
        admit(channel);
    }

    /**
     * Log once that accepting fails, until it works again.
     */
    private void startFailing(final String why)
    {
        if (!failing)
        {
            // a shortage starts once it was told (else it is told at the next failure)
            failing = logSafely(System.Logger.Level.WARNING, "{0}: cannot accept publishers ({1}); refusing them until " +
                "this recovers, serving the {2} connected", name, why, openConnections.get());
        }
    }

    /**
     * Refuse a connection with the "out of file descriptors" status, and keep its descriptor as the reserve.
     */
    private void refuseForWantOfDescriptors(final SocketChannel channel)
    {
        refuse(channel, StreamHello.REFUSED_RESOURCES);
        refusedWhileFailing++;
        reserve = openReserve(); // the refused connection's descriptor
    }

    /**
     * @return a connection to admit (a descriptor is free again), or null: none could be accepted, or
     * the one accepted was refused for want of descriptors.
     */
    private SocketChannel acceptWithReserve()
    {
        if (reserve == null)
        {
            reserve = openReserve();
            if (reserve == null)
            {
                return null;
            }
        }
        closeQuietly(reserve, null); // gives up one descriptor, to accept a waiting publisher with
        final SocketChannel channel = acceptQuietly(); // waits for one if none is waiting
        reserve = openReserve(); // succeeds only if another descriptor is free now
        if (channel != null && reserve == null)
        {
            refuseForWantOfDescriptors(channel);
            return null;
        }
        return channel;
    }

    private void admit(final SocketChannel channel)
    {
        boolean handedOver = false;
        try
        {
            if (openConnections.get() >= maxConnections)
            {
                refuse(channel, StreamHello.REFUSED_LIMIT);
                return;
            }
            final String refusal = peerFilter.refusal(channel);
            if (refusal != null)
            {
                connectionLog.warn("{0}: refused publisher: {1}", refusal);
                refuse(channel, StreamHello.REFUSED_PEER);
                return;
            }
            final String peer = describePeer(channel);
            try
            {
                StreamHello.send(channel, StreamHello.ACCEPTED);
            }
            catch (final IOException ex)
            {
                // it connected and left before the subscriber's hello could be written: not a publisher, nothing broke
                refusedPeers.incrementAndGet();
                connectionLog.warn("{0}: a connection ({1}) closed before its hello" + (isPeerGone(ex) ? "" : ": {2}"), peer,
                    ex.getMessage());
                return;
            }
            final String peerName = "publisher #" + (acceptedPeers.get() + 1) + " (" + peer + ")";
            channel.configureBlocking(false);
            openConnections.incrementAndGet();
            incoming.add(new Peer(channel, new FrameReader(channel, maxMessageLength, budget), peerName,
                System.nanoTime() + helloTimeoutNs));
            handedOver = true;
            acceptedPeers.incrementAndGet();
            selector.wakeup();
        }
        catch (final IOException ex)
        {
            refusedPeers.incrementAndGet();
            connectionLog.warn("{0}: cannot set up publisher connection: {1}", ex);
        }
        finally
        {
            if (!handedOver)
            {
                closeQuietly(channel, null); // refused, failed, or an unexpected throwable on its way out
            }
        }
    }

    /**
     * @return where a connection comes from: the remote address (TCP), or the user of the connecting process (Unix
     * socket, whose remote address is unnamed).
     */
    private static String describePeer(final SocketChannel channel)
    {
        try
        {
            final SocketAddress remote = channel.getRemoteAddress();
            if (remote instanceof UnixDomainSocketAddress)
            {
                return "user " + PeerCredentials.describe(PeerCredentials.peerUser(channel));
            }
            return String.valueOf(remote);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "unidentified: " + ex.getMessage();
        }
    }

    /**
     * End the accepting thread for good: the next poll throws, naming why.
     */
    private void stopAccepting(final String why)
    {
        acceptingStopped = why;
        logSafely(System.Logger.Level.ERROR, "{0}: accepting publishers stopped: {1}", name, why);
        selector.wakeup(); // a take sleeping in select sees it at once
    }

    private void refuse(final SocketChannel channel, final byte status)
    {
        refusedPeers.incrementAndGet();
        try
        {
            StreamHello.send(channel, status);
        }
        catch (final IOException ignore)
        {
            // the publisher is gone already: nobody to tell
        }
        closeQuietly(channel, null);
    }

    private SocketChannel acceptQuietly()
    {
        try
        {
            return server.accept();
        }
        catch (final IOException ex)
        {
            stopIfListenerClosed(ex);
            return null;
        }
    }

    /**
     * Judge a failed accept: if the listening socket is closed by {@link #close()}, accepting just ends; if it is
     * closed otherwise (this thread interrupted inside {@code accept}, which closes the channel), end accepting
     * loudly, so the next poll throws, rather than back off for ever without a listener.
     *
     * @param failure what accept threw.
     * @return true if the listening socket is closed and accepting must end.
     */
    private boolean stopIfListenerClosed(final IOException failure)
    {
        if (closed)
        {
            return true;
        }
        if (server.isOpen())
        {
            return false;
        }
        stopAccepting("the listening socket was closed (" + failure.getClass().getSimpleName() +
            (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
        return true;
    }

    private static FileChannel openReserve()
    {
        try
        {
            return FileChannel.open(RESERVE_PATH, StandardOpenOption.READ);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * Log from the accepting thread, which must go on even if logging fails (it may need a descriptor to
     * load a class with, when there is none).
     *
     * @return true if the logger took the line.
     */
    private static boolean logSafely(final System.Logger.Level level, final String format, final Object... params)
    {
        try
        {
            LOGGER.log(level, format, params);
            return true;
        }
        catch (final VirtualMachineError ex)
        {
            throw ex;
        }
        catch (final RuntimeException | Error ignore)
        {
            return false; // nothing else to tell it with
        }
    }

    private static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void dropIfEnded(final Peer peer)
    {
        if (peer.reader.isEndOfStream())
        {
            endedPublishers++; // closed between frames, after its hello: the only way a stream ends
            remove(peer);
        }
    }

    private void dropFailed(final Peer peer, final FrameStreamException ex)
    {
        failedPeers.incrementAndGet();
        lastPeerFailure = ex;
        connectionLog.warn("{0}: dropped {1}: {2}", peer.name, ex.getMessage());
        remove(peer);
    }

    private void dropBroken(final Peer peer, final IOException ex)
    {
        failedPeers.incrementAndGet();
        connectionLog.warn("{0}: {1} failed between frames: {2}", peer.name, ex);
        remove(peer);
    }

    /**
     * @param ex what a read or write of a connection threw.
     * @return true if it says the peer closed its end (a write after its close: EPIPE; a close with our bytes unread:
     *         ECONNRESET), which is what a connection that leaves before or after its hello looks like.
     */
    private static boolean isPeerGone(final IOException ex)
    {
        final String message = ex.getMessage();
        return message != null && (message.contains("Broken pipe") || message.contains("Connection reset"));
    }

    private void remove(final Peer peer)
    {
        peers.remove(peer);
        peer.removed = true;
        if (peer.hello != null)
        {
            awaitingHello--;
        }
        closeQuietly(peer.channel, null); // also cancels its selection key
        peer.reader.release();
        openConnections.decrementAndGet();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException("subscriber", name);
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
        private final String name;
        private final long helloDeadlineNs;
        private ByteBuffer hello = ByteBuffer.allocate(StreamHello.LENGTH); // null once the publisher's hello came
        private boolean readable;
        private boolean removed;

        Peer(final SocketChannel channel, final FrameReader reader, final String name, final long helloDeadlineNs)
        {
            this.channel = channel;
            this.reader = reader;
            this.name = name;
            this.helloDeadlineNs = helloDeadlineNs;
        }
    }
}
