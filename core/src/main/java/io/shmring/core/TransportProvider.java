package io.shmring.core;

import java.util.Set;

/**
 * Makes publishers and subscribers for one URI scheme. Implementations are found by
 * {@link java.util.ServiceLoader}: list the class in {@code META-INF/services/io.shmring.core.TransportProvider}.
 * <p>
 * {@link Transports} checks the URI's parameters against {@link #parameters()} before calling the
 * provider, so a provider only validates values.
 */
public interface TransportProvider
{
    /**
     * @return the URI scheme served, lower case, e.g. {@code "shm"}.
     */
    String scheme();

    /**
     * @return every parameter name this scheme accepts.
     */
    Set<String> parameters();

    /**
     * @return a one-line example URI, shown in error messages.
     */
    String example();

    /**
     * @param uri a URI of this scheme.
     * @return a new publisher.
     * @throws IllegalArgumentException if a value is out of range.
     */
    Publisher publisher(TransportUri uri);

    /**
     * @param uri a URI of this scheme.
     * @return a new subscriber.
     * @throws IllegalArgumentException if a value is out of range.
     */
    Subscriber subscriber(TransportUri uri);
}
