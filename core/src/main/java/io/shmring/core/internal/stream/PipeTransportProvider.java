package io.shmring.core.internal.stream;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;

import java.util.Set;

/**
 * {@code pipe:stdout} (publisher) and {@code pipe:stdin} (subscriber): frames over this process's
 * standard streams, for a child started by a parent that holds the other ends (see {@link Pipes} for the
 * parent's side). The transport owns the descriptor: do not use {@code System.out} / {@code System.in}
 * meanwhile. Closing the publisher ends the parent's stream even while the process lives on.
 */
public final class PipeTransportProvider implements TransportProvider
{
    /** The publisher's path. */
    public static final String STDOUT = "stdout";
    /** The subscriber's path. */
    public static final String STDIN = "stdin";

    @Override
    public String scheme()
    {
        return "pipe";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(StreamParameters.MAX_MESSAGE_LENGTH, StreamParameters.BATCH);
    }

    @Override
    public String example()
    {
        return "pipe:stdout (publisher) or pipe:stdin (subscriber)";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        if (!STDOUT.equals(uri.path()))
        {
            throw new IllegalArgumentException("a pipe publisher writes this process's stdout: path=" + uri.path() +
                " (accepted: pipe:" + STDOUT + ") uri=" + uri);
        }
        final FdChannel stdout = StandardStreams.stdout();
        return new StreamPublisher(uri.toString(), () -> stdout,
            StreamParameters.maxMessageLength(uri), StreamParameters.batchBytes(uri),
            () -> StandardStreams.detach(StandardStreams.STDOUT));
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        if (!STDIN.equals(uri.path()))
        {
            throw new IllegalArgumentException("a pipe subscriber reads this process's stdin: path=" + uri.path() +
                " (accepted: pipe:" + STDIN + ") uri=" + uri);
        }
        if (uri.has(StreamParameters.BATCH))
        {
            throw uri.badParameter(StreamParameters.BATCH, uri.get(StreamParameters.BATCH), "no batch on a subscriber");
        }
        final FdChannel stdin = StandardStreams.stdin();
        return new StreamSubscriber(uri.toString(), stdin, stdin::awaitReadable, StreamParameters.maxMessageLength(uri),
            () -> StandardStreams.detach(StandardStreams.STDIN));
    }
}
