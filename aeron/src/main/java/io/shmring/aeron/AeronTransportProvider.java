package io.shmring.aeron;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;

import java.util.Set;

/**
 * {@code aeron:udp?endpoint=HOST:PORT}, {@code aeron:udp?endpoint=224.0.1.1:40456|interface=HOST} (multicast) and
 * {@code aeron:ipc}: shmring frames over Aeron (reliable UDP with flow control and loss recovery, or IPC
 * through a media driver's shared log). Both sides write the same URI: the subscriber binds the
 * endpoint, the publisher sends to it. Port 0 on a subscriber binds a free port
 * ({@link AeronSubscriber#publisherUri()}). See {@link AeronUri} for the parameters; by default each
 * process runs an embedded media driver ({@link EmbeddedDriver}), {@code aeronDir=} uses an external one.
 */
public final class AeronTransportProvider implements TransportProvider
{
    @Override
    public String scheme()
    {
        return "aeron";
    }

    @Override
    public Set<String> parameters()
    {
        return AeronUri.acceptedParameters();
    }

    @Override
    public String example()
    {
        return "aeron:udp?endpoint=127.0.0.1:40123";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        return new AeronPublisher(AeronUri.parse(uri));
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        return new AeronSubscriber(AeronUri.parse(uri));
    }
}
