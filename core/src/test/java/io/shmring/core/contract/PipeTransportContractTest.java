package io.shmring.core.contract;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.internal.stream.Pipes;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The contract over an operating-system pipe inside this process ({@link Pipe}, through {@link Pipes});
 * {@link PipeTransportCrossProcessTest} covers {@code pipe:stdout} / {@code pipe:stdin} between processes.
 */
class PipeTransportContractTest extends TransportContractTest
{
    private final Map<Subscriber, Pipe> pipes = new IdentityHashMap<>();

    @Override
    protected Subscriber openSubscriber() throws IOException
    {
        final Pipe pipe = Pipe.open();
        track(pipe.sink());
        final Subscriber subscriber = Pipes.subscriber("pipe", pipe.source(), MAX_MESSAGE_LENGTH);
        pipes.put(subscriber, pipe);
        return subscriber;
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Pipes.publisher("pipe", pipes.get(subscriber).sink(), MAX_MESSAGE_LENGTH, 0);
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return "pipe:stdout?maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }

    @Override
    protected WritableByteChannel openRawChannel(final Subscriber subscriber)
    {
        return pipes.get(subscriber).sink();
    }
}
