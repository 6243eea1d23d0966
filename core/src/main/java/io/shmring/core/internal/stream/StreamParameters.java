package io.shmring.core.internal.stream;

import io.shmring.core.FrameDescriptor;
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

    /** Socket subscriber: most connections at once (publishers and those still to send their hello); more are refused. */
    public static final String MAX_CONNECTIONS = "maxConnections";

    /**
     * Socket subscriber: most receive buffer bytes all its connections hold together, a size such as {@code 256m};
     * a connection whose next frame needs more is dropped (closed and logged), the others are served.
     */
    public static final String TOTAL_BUFFER_BYTES = "totalBufferBytes";

    /** The least {@link #TOTAL_BUFFER_BYTES} default: 64 MiB. */
    public static final int MIN_DEFAULT_TOTAL_BUFFER_BYTES = 64 * 1024 * 1024;

    /** Socket publisher: milliseconds to wait for the subscriber to accept a new connection (its hello). */
    public static final String ACCEPT_TIMEOUT_MS = "acceptTimeoutMs";

    /**
     * Socket subscriber: milliseconds an accepted connection has to send the publisher's hello; one that has not by
     * then is dropped (closed, counted, logged), freeing its place among the {@link #MAX_CONNECTIONS}.
     */
    public static final String HELLO_TIMEOUT_MS = "helloTimeoutMs";

    /** {@link #HELLO_TIMEOUT_MS} when the URI gives none. */
    public static final long DEFAULT_HELLO_TIMEOUT_MS = 10_000;

    /** {@link #MAX_CONNECTIONS} when the URI gives none. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    /** Largest {@link #MAX_CONNECTIONS} accepted. */
    public static final int MAX_MAX_CONNECTIONS = 65536;

    /** {@link #ACCEPT_TIMEOUT_MS} when the URI gives none. */
    public static final long DEFAULT_ACCEPT_TIMEOUT_MS = 10_000;

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
     * @param uri a socket subscriber URI.
     * @return most publishers it accepts at once.
     */
    public static int maxConnections(final TransportUri uri)
    {
        return (int)uri.getLong(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 1, MAX_MAX_CONNECTIONS);
    }

    /**
     * The receive memory cap of a socket subscriber: {@link #TOTAL_BUFFER_BYTES}, by default 64 MiB or two largest
     * receive buffers (one largest frame plus {@link FrameReader#READ_AHEAD}, twice), whichever is more; at least two
     * largest receive buffers, so the largest frame can always be received (a buffer growing to it holds the old one
     * for a moment), and at most 2 GiB - 1.
     *
     * @param uri              a socket subscriber URI.
     * @param maxMessageLength its max message length.
     * @return most receive buffer bytes its connections hold together.
     * @throws IllegalArgumentException naming the value if it is out of that range.
     */
    public static long totalBufferBytes(final TransportUri uri, final int maxMessageLength)
    {
        final long twoLargest = 2L * (FrameDescriptor.frameLength(maxMessageLength) + (long)FrameReader.READ_AHEAD);
        final long defaultBytes = Math.max(MIN_DEFAULT_TOTAL_BUFFER_BYTES, twoLargest);
        return uri.getSize(TOTAL_BUFFER_BYTES, (int)defaultBytes, (int)twoLargest, Integer.MAX_VALUE);
    }

    /**
     * @param uri a socket publisher URI.
     * @return nanoseconds to wait for the subscriber to accept a connection.
     */
    public static long acceptTimeoutNs(final TransportUri uri)
    {
        return uri.getLong(ACCEPT_TIMEOUT_MS, DEFAULT_ACCEPT_TIMEOUT_MS, 1, 3_600_000) * 1_000_000;
    }

    /**
     * @param uri a socket subscriber URI.
     * @return nanoseconds an accepted connection has to send the publisher's hello.
     * @throws IllegalArgumentException naming the value if it is not in 1..3600000 ms.
     */
    public static long helloTimeoutNs(final TransportUri uri)
    {
        return uri.getLong(HELLO_TIMEOUT_MS, DEFAULT_HELLO_TIMEOUT_MS, 1, 3_600_000) * 1_000_000;
    }

    /**
     * @param uri    a URI.
     * @param side   "publisher" or "subscriber", for the message.
     * @param others parameters the other side takes, refused here.
     * @throws IllegalArgumentException naming the first one the URI gives.
     */
    public static void refuseOtherSide(final TransportUri uri, final String side, final String... others)
    {
        for (final String other : others)
        {
            if (uri.has(other))
            {
                throw uri.badParameter(other, uri.get(other), "nothing: not a " + side + " parameter");
            }
        }
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
