package io.shmring.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens a publisher or subscriber from a URI, so an application changes transport by changing a string:
 * <pre>
 *   shm:/dev/shm/md?capacity=4m&amp;wait=spin     shared-memory ring (module shmring-ringbuffer)
 *   uds:/tmp/md.sock                            Unix domain socket
 *   fifo:/tmp/md.fifo                           named pipe
 *   pipe:stdout / pipe:stdin                    this process's standard streams
 *   tcp://127.0.0.1:7000                        TCP, loopback by default
 * </pre>
 * Providers are found with {@link ServiceLoader} on the class loader of this class, looked up each call
 * (opening a transport is not a hot path).
 */
public final class Transports
{
    private Transports()
    {
    }

    /**
     * @param uri a transport URI.
     * @return a new publisher.
     * @throws IllegalArgumentException for an unknown scheme (listing the known ones) or a bad parameter.
     * @throws InsecureFileException    if the ring file, FIFO or socket file the URI names, or a directory above it,
     *                                  is open to users the URI does not trust ({@link FileAccess}).
     * @throws ShmringException         for a destination the URI cannot use, the subclass naming the values; for
     *                                  {@code shm:}: {@code io.shmring.ringbuffer.IncompatibleRingException} (an
     *                                  existing ring differs from a value the URI states, or has another kind than
     *                                  the parameters imply), {@code AlreadyAttachedException} or
     *                                  {@code TableFullException} (the role is held by a live process),
     *                                  {@code InvalidRingFileException} or {@code CorruptRingException} (not a
     *                                  usable ring), {@code RingGoneException} (the ring kept being deleted while
     *                                  it was opened).
     * @throws java.io.UncheckedIOException if a file, socket or listener cannot be set up.
     */
    public static Publisher publisher(final String uri)
    {
        final TransportUri parsed = TransportUri.parse(uri);
        return provider(parsed).publisher(parsed);
    }

    /**
     * @param uri a transport URI.
     * @return a new subscriber.
     * @throws IllegalArgumentException for an unknown scheme (listing the known ones) or a bad parameter.
     * @throws InsecureFileException    if the ring file, FIFO or socket file the URI names, or a directory above it,
     *                                  is open to users the URI does not trust ({@link FileAccess}).
     * @throws ShmringException         for a destination the URI cannot use, the subclass naming the values; for
     *                                  {@code shm:}: {@code io.shmring.ringbuffer.IncompatibleRingException} (an
     *                                  existing ring differs from a value the URI states, or has another kind than
     *                                  the parameters imply), {@code AlreadyAttachedException} or
     *                                  {@code TableFullException} (the role is held by a live process),
     *                                  {@code InvalidRingFileException} or {@code CorruptRingException} (not a
     *                                  usable ring), {@code RingGoneException} (the ring kept being deleted while
     *                                  it was opened).
     * @throws java.io.UncheckedIOException if a file, socket or listener cannot be set up.
     */
    public static Subscriber subscriber(final String uri)
    {
        final TransportUri parsed = TransportUri.parse(uri);
        return provider(parsed).subscriber(parsed);
    }

    /**
     * @return every provider found, by scheme.
     */
    public static Map<String, TransportProvider> providers()
    {
        final Map<String, TransportProvider> providers = new TreeMap<>();
        for (final TransportProvider provider : ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()))
        {
            final TransportProvider previous = providers.putIfAbsent(provider.scheme(), provider);
            if (previous != null && previous.getClass() != provider.getClass())
            {
                throw new IllegalStateException("two providers for scheme " + provider.scheme() + ": " +
                    previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return providers;
    }

    private static TransportProvider provider(final TransportUri uri)
    {
        final Map<String, TransportProvider> providers = providers();
        final TransportProvider provider = providers.get(uri.scheme());
        if (provider == null)
        {
            final StringBuilder known = new StringBuilder();
            for (final TransportProvider each : providers.values())
            {
                known.append(known.length() == 0 ? "" : ", ").append(each.scheme()).append(" (").append(each.example()).append(')');
            }
            throw new IllegalArgumentException(
                "unknown transport scheme: scheme=" + uri.scheme() + " uri=" + uri + " (accepted: " + known + ")");
        }
        uri.checkParameters(provider.parameters());
        return provider;
    }
}
