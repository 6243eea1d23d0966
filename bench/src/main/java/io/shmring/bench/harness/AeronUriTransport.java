package io.shmring.bench.harness;

import io.shmring.aeron.AeronSubscriber;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;

import java.util.Map;

/**
 * shmring's {@code aeron:} transport opened by URI as an application would, each process with its embedded media
 * driver: {@code aeron:udp} on 127.0.0.1 (each side's subscriber binds a free port and announces the URI to
 * publish to), or {@code aeron:ipc} through the parent's driver (the parent announces its driver's directory;
 * the child's subscriber and publisher use it as an external driver).
 * <p>
 * With {@code taskset} pinning each process to one CPU, a driver thread shares that CPU with the application
 * thread, so the receivers wait in the subscriber's {@code take} with {@code wait=yield} (a busy spin would keep
 * the driver off the CPU). Over UDP every frame passes both drivers' threads, which yield when idle
 * ({@code driverIdle=yield}); over IPC frames go from the publisher to the subscriber through the shared log, and
 * the one driver backs off to sleep when idle ({@code driverIdle=backoff}, the default).
 */
final class AeronUriTransport implements Transport
{
    private static final String URI = "uri";
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;
    private static final String WAIT = "wait=yield";

    private final String name;
    private final boolean udp;
    private final String common;

    /**
     * @param name CSV name.
     * @param udp  true for aeron:udp on 127.0.0.1, false for aeron:ipc.
     */
    AeronUriTransport(final String name, final boolean udp)
    {
        this.name = name;
        this.udp = udp;
        this.common = "maxMessageLength=" + MAX_MESSAGE_LENGTH + "&" + WAIT + "&driverIdle=" + (udp ? "yield" : "backoff");
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "shmring aeron:" + (udp ? "udp on 127.0.0.1, an embedded driver per process (driverIdle=yield)" :
            "ipc through the parent's embedded driver (driverIdle=backoff)") + ", take with " + WAIT;
    }

    @Override
    public boolean blocking()
    {
        return false;
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context)
    {
        final boolean parent = role == Role.PARENT;
        if (udp)
        {
            return new AeronSide(context, parent, Transports.subscriber("aeron:udp?endpoint=127.0.0.1:0&" + common));
        }
        // the child's ipc subscriber needs the parent's driver directory: it opens at connect
        return new AeronSide(context, parent, parent ? Transports.subscriber("aeron:ipc?streamId=" + PONG_STREAM + "&" + common) : null);
    }

    /**
     * A subscriber made at open (or, for the ipc child, at connect), a publisher made at connect.
     */
    private final class AeronSide extends ConnectedSide
    {
        AeronSide(final TransportContext context, final boolean parent, final Subscriber subscriber)
        {
            super(context, parent, subscriber);
        }

        @Override
        public Map<String, String> announce()
        {
            return subscriber == null ? Map.of() : Map.of(URI, ((AeronSubscriber)subscriber).publisherUri());
        }

        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
            final String publisherUri;
            if (udp)
            {
                publisherUri = fromPeer.get(URI);
            }
            else if (parent)
            {
                publisherUri = "aeron:ipc?streamId=" + PING_STREAM + "&" + common;
            }
            else
            {
                publisherUri = fromPeer.get(URI);
                final String aeronDir = publisherUri.substring(publisherUri.indexOf("aeronDir="));
                subscriber = Transports.subscriber("aeron:ipc?streamId=" + PING_STREAM + "&" + common + "&" + aeronDir);
            }
            final String incoming = name + (parent ? " pong" : " ping");
            receiver = new BlockingRingReceiver(subscriber, null, context.spinWait(incoming), null);
            final Publisher publisher = Transports.publisher(publisherUri);
            sender = new SpinningPublisherSender(publisher, context.spinWait(name + (parent ? " ping" : " pong")), null);
        }
    }
}
