package io.shmring.core.internal.stream;

import io.shmring.core.FileAccess;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;

/**
 * {@code fifo:/path/name?maxMessageLength=64k&batch=0&keep=false&group=NAME}: a named pipe, made (mode
 * 0600, or 0660 and group NAME with {@code group}) by whichever side comes first; an existing one is used
 * only if it passes {@link FileAccess} (this user's, nothing for others, group access only for the
 * shared group). One publisher per FIFO: writes of frames above 4 KiB from two writers could
 * interleave. The subscriber deletes the FIFO on close unless {@code keep=true}. See {@link Fifo} for
 * how neither side blocks on open.
 */
public final class FifoTransportProvider implements TransportProvider
{
    @Override
    public String scheme()
    {
        return "fifo";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(StreamParameters.MAX_MESSAGE_LENGTH, StreamParameters.BATCH, StreamParameters.KEEP, FileAccess.GROUP);
    }

    @Override
    public String example()
    {
        return "fifo:/tmp/name.fifo?maxMessageLength=64k";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        final Path path = Paths.get(StreamParameters.requirePath(uri));
        final int maxMessageLength = StreamParameters.maxMessageLength(uri);
        final int batchBytes = StreamParameters.batchBytes(uri);
        StreamParameters.refuseOtherSide(uri, "publisher (the subscriber owns the file)", StreamParameters.KEEP);
        Fifo.ensureExists(path, FileAccess.group(uri));
        return new StreamPublisher(uri.toString(), () -> Fifo.tryOpenWriter(path), maxMessageLength, batchBytes, null);
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final Path path = Paths.get(StreamParameters.requirePath(uri));
        final int maxMessageLength = StreamParameters.maxMessageLength(uri);
        final boolean keep = StreamParameters.keep(uri);
        StreamParameters.refuseOtherSide(uri, "subscriber", StreamParameters.BATCH);
        Fifo.ensureExists(path, FileAccess.group(uri));
        final FdChannel channel = Fifo.openReader(path);
        return new StreamSubscriber(
            uri.toString(), channel, channel::awaitReadable, maxMessageLength, keep ? null : () -> Files.deleteIfExists(path));
    }
}
