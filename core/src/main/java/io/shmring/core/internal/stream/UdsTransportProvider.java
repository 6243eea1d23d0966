package io.shmring.core.internal.stream;

import io.shmring.core.FileAccess;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/**
 * {@code uds:/path/name.sock?maxMessageLength=64k&batch=0&keep=false&allowUid=1000,1001&group=NAME}: a Unix
 * domain stream socket.
 * <p>
 * The subscriber listens (socket file mode 0600, or 0660 and group NAME with {@code group}; see
 * {@link UdsServer}) and accepts up to {@code maxConnections} (default 64) connections at once, dropping one
 * that has not answered with the publisher's hello within {@code helloTimeoutMs} (default 10000); with
 * {@code allowUid} only processes of those uids may publish. A refused publisher is told
 * ({@link StreamHello}): its open fails with {@link io.shmring.core.PeerRefusedException}. The
 * subscriber deletes the file on close unless {@code keep=true}.
 * <p>
 * The publisher uses a socket file only if it passes {@link FileAccess} (owned by this user, or by one of
 * its {@code allowUid}, or shared through {@code group}) and only if the process listening on it runs as
 * this user, one of its {@code allowUid}, or (with {@code group}) the file's owner; then it waits up to
 * {@code acceptTimeoutMs} (default 10000) for the subscriber to accept it. A publisher made first
 * connects on a later offer.
 */
public final class UdsTransportProvider implements TransportProvider
{
    /**
     * Comma-separated uids. Subscriber: the uids allowed to publish (absent: any process that can open
     * the socket file). Publisher: uids besides this user's whose socket file and listener are trusted.
     */
    public static final String ALLOW_UID = "allowUid";

    private static final long MAX_UID = 0xFFFF_FFFEL;

    @Override
    public String scheme()
    {
        return "uds";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(StreamParameters.MAX_MESSAGE_LENGTH, StreamParameters.BATCH, StreamParameters.KEEP, ALLOW_UID,
            FileAccess.GROUP, StreamParameters.MAX_CONNECTIONS, StreamParameters.ACCEPT_TIMEOUT_MS,
            StreamParameters.TOTAL_BUFFER_BYTES, StreamParameters.HELLO_TIMEOUT_MS);
    }

    @Override
    public String example()
    {
        return "uds:/tmp/name.sock?allowUid=1000";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        final Path path = Paths.get(StreamParameters.requirePath(uri));
        StreamParameters.refuseOtherSide(uri, "publisher", StreamParameters.KEEP, StreamParameters.MAX_CONNECTIONS,
            StreamParameters.TOTAL_BUFFER_BYTES, StreamParameters.HELLO_TIMEOUT_MS);
        final List<Long> allowedUids = uri.getLongList(ALLOW_UID, 0, MAX_UID);
        final Integer group = FileAccess.group(uri);
        final long acceptTimeoutNs = StreamParameters.acceptTimeoutNs(uri);
        final String name = uri.toString();
        return new StreamPublisher(name, () -> UdsServer.tryConnect(path, allowedUids, group, acceptTimeoutNs, name),
            StreamParameters.maxMessageLength(uri), StreamParameters.batchBytes(uri), null);
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final Path path = Paths.get(StreamParameters.requirePath(uri));
        final int maxMessageLength = StreamParameters.maxMessageLength(uri);
        final int maxConnections = StreamParameters.maxConnections(uri);
        final long totalBufferBytes = StreamParameters.totalBufferBytes(uri, maxMessageLength);
        final long helloTimeoutNs = StreamParameters.helloTimeoutNs(uri);
        final boolean keep = StreamParameters.keep(uri);
        final Integer group = FileAccess.group(uri);
        StreamParameters.refuseOtherSide(uri, "subscriber", StreamParameters.BATCH, StreamParameters.ACCEPT_TIMEOUT_MS);
        final SocketSubscriber.PeerFilter filter = uri.has(ALLOW_UID) ?
            new UidFilter(uri.getLongList(ALLOW_UID, 0, MAX_UID)) : (channel) -> null;
        final ServerSocketChannel server = UdsServer.bind(path, group);
        try
        {
            return new SocketSubscriber(uri.toString(), server, filter, maxMessageLength, maxConnections, helloTimeoutNs, totalBufferBytes,
                keep ? null : () -> Files.deleteIfExists(path));
        }
        catch (final IOException ex)
        {
            try
            {
                server.close();
                Files.deleteIfExists(path);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot set up " + uri, ex);
        }
    }
}
