package io.shmring.core.stream;

import io.shmring.core.TransportUri;

/**
 * URI parameters shared by every stream transport.
 */
public final class StreamParameters
{
    /** Largest payload: a size such as {@code 64k}; a frame announcing more fails the stream. */
    public static final String MAX_MESSAGE_LENGTH = "maxMessageLength";

    /** Publisher: bytes to gather before a write; {@code 0} (default) writes each message at once. */
    public static final String BATCH = "batch";

    /** Subscriber: {@code true} leaves the FIFO or socket file in place on close; by default it is deleted. */
    public static final String KEEP = "keep";

    /** Largest payload when the URI gives none. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024;

    /** Largest {@link #MAX_MESSAGE_LENGTH} accepted: 256 MiB. */
    public static final int MAX_MAX_MESSAGE_LENGTH = 256 * 1024 * 1024;

    /** Largest {@link #BATCH} accepted: 16 MiB. */
    public static final int MAX_BATCH = 16 * 1024 * 1024;

    private StreamParameters()
    {
    }

    /**
     * @param uri a stream URI.
     * @return its max message length.
     */
    public static int maxMessageLength(final TransportUri uri)
    {
        return uri.getSize(MAX_MESSAGE_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, 0, MAX_MAX_MESSAGE_LENGTH);
    }

    /**
     * @param uri a stream URI.
     * @return its batch size in bytes, 0 for none.
     */
    public static int batchBytes(final TransportUri uri)
    {
        return uri.getSize(BATCH, 0, 0, MAX_BATCH);
    }

    /**
     * @param uri a stream URI.
     * @return true if the subscriber leaves its file on close.
     */
    public static boolean keep(final TransportUri uri)
    {
        return uri.getBoolean(KEEP, false);
    }

    /**
     * @param uri a URI whose path names a file.
     * @return the path.
     * @throws IllegalArgumentException if it is empty.
     */
    public static String requirePath(final TransportUri uri)
    {
        if (uri.path() == null || uri.path().isEmpty())
        {
            throw new IllegalArgumentException("URI needs a file path, as in " + uri.scheme() + ":/tmp/name: uri=" + uri);
        }
        return uri.path();
    }
}
