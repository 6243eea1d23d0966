package io.shmring.core.stream;

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
 * {@code uds:/path/name.sock?maxMessageLength=64k&batch=0&keep=false&allowUid=1000,1001}: a Unix domain
 * stream socket. The subscriber listens (socket file mode 0600, see {@link UdsServer}) and accepts any
 * number of publishers; with {@code allowUid} only processes of those uids may publish, others are
 * closed at once and counted ({@link SocketSubscriber#refusedPeers()}). The subscriber deletes the file
 * on close unless {@code keep=true}. A publisher made first connects on a later offer.
 */
public final class UdsTransportProvider implements TransportProvider
{
    /** Subscriber: comma-separated uids allowed to publish; absent means any peer that can open the file. */
    public static final String ALLOW_UID = "allowUid";

    @Override
    public String scheme()
    {
        return "uds";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(StreamParameters.MAX_MESSAGE_LENGTH, StreamParameters.BATCH, StreamParameters.KEEP, ALLOW_UID);
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
        for (final String subscriberOnly : List.of(StreamParameters.KEEP, ALLOW_UID))
        {
            if (uri.has(subscriberOnly))
            {
                throw uri.badParameter(subscriberOnly, uri.get(subscriberOnly), "nothing: a subscriber parameter");
            }
        }
        return new StreamPublisher(uri.toString(), () -> UdsServer.tryConnect(path),
            StreamParameters.maxMessageLength(uri), StreamParameters.batchBytes(uri), null);
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final Path path = Paths.get(StreamParameters.requirePath(uri));
        final int maxMessageLength = StreamParameters.maxMessageLength(uri);
        final boolean keep = StreamParameters.keep(uri);
        if (uri.has(StreamParameters.BATCH))
        {
            throw uri.badParameter(StreamParameters.BATCH, uri.get(StreamParameters.BATCH), "nothing: a publisher parameter");
        }
        final SocketSubscriber.PeerFilter filter = uri.has(ALLOW_UID) ?
            new UidFilter(uri.getLongList(ALLOW_UID, 0, 0xFFFF_FFFEL)) : (channel) -> null;
        final ServerSocketChannel server = UdsServer.bind(path);
        try
        {
            return new SocketSubscriber(uri.toString(), server, filter, maxMessageLength,
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
