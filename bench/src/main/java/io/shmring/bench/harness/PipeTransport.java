package io.shmring.bench.harness;

import io.shmring.core.Publisher;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.Pipes;

import java.util.Map;

/**
 * shmring's {@code pipe:} adapter: pings go down the child's stdin ({@link Pipes#toChild} in the parent,
 * {@code pipe:stdin} in the child), pongs come up its stdout ({@code pipe:stdout}, {@link Pipes#fromChild}).
 * Both receivers busy-poll; the parent's reads go through the JDK's process stream
 * ({@code available()} then {@code read()}).
 */
final class PipeTransport implements Transport
{
    private final String name;

    PipeTransport(final String name)
    {
        this.name = name;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "shmring pipe adapter over the child's stdin/stdout, busy-poll";
    }

    @Override
    public boolean blocking()
    {
        return false;
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context)
    {
        return new PipeSide(context, role == Role.PARENT);
    }

    /**
     * The parent's side needs the child process; the child's uses its own standard streams.
     */
    private final class PipeSide extends ConnectedSide
    {
        PipeSide(final TransportContext context, final boolean parent)
        {
            super(context, parent, null);
        }

        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
            final Publisher publisher;
            if (parent)
            {
                subscriber = Pipes.fromChild(child, MAX_MESSAGE_LENGTH);
                publisher = Pipes.toChild(child, MAX_MESSAGE_LENGTH, context.streamBatch());
            }
            else
            {
                subscriber = Transports.subscriber("pipe:stdin?maxMessageLength=" + MAX_MESSAGE_LENGTH);
                publisher = Transports.publisher(
                    "pipe:stdout?maxMessageLength=" + MAX_MESSAGE_LENGTH + "&batch=" + context.streamBatch());
            }
            receiver = new SpinningSubscriberReceiver(subscriber, context.spinWait(name + (parent ? " pong" : " ping")), null);
            sender = new SpinningPublisherSender(publisher, context.spinWait(name + (parent ? " ping" : " pong")), null);
        }
    }

    @Override
    public boolean usesChildStandardStreams()
    {
        return true;
    }
}
