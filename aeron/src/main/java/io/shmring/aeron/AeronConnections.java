package io.shmring.aeron;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.RethrowingErrorHandler;
import io.aeron.exceptions.ChannelEndpointException;
import io.aeron.exceptions.RegistrationException;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

/**
 * One Aeron client per media driver per JVM, shared by every {@code aeron:} publisher and subscriber of
 * this process and counted: the first user of a driver connects, the last to close disconnects. A URI
 * without {@link AeronUri#AERON_DIR} uses this JVM's {@link EmbeddedDriver}, started by its first user
 * and stopped (its directory deleted) by its last; a JVM exiting with users still open stops it from a
 * shutdown hook. Thread-safe.
 */
final class AeronConnections
{
    private static final System.Logger LOGGER = System.getLogger(AeronConnections.class.getName());
    private static final String EMBEDDED = "";
    private static final Map<String, Shared> SHARED = new HashMap<>();
    private static boolean hookInstalled;

    private AeronConnections()
    {
    }

    /**
     * A counted use of one client.
     */
    static final class Lease implements AutoCloseable
    {
        private final Shared shared;
        private boolean closed;

        private Lease(final Shared shared)
        {
            this.shared = shared;
        }

        /**
         * @return the client.
         */
        Aeron aeron()
        {
            return shared.aeron;
        }

        /**
         * @return true if the driver runs in this JVM (and stops when the last user closes).
         */
        boolean isEmbedded()
        {
            return shared.driver != null;
        }

        /**
         * @return the media driver's directory.
         */
        String directory()
        {
            return shared.aeron.context().aeronDirectoryName();
        }

        /**
         * @return how long the embedded driver keeps a closed publication for retransmits, in nanoseconds; 0 for an
         * external driver.
         */
        long publicationLingerNs()
        {
            return shared.driver == null ? 0 : shared.driver.publicationLingerNs();
        }

        @Override
        public void close()
        {
            synchronized (AeronConnections.class)
            {
                if (!closed)
                {
                    closed = true;
                    release(shared);
                }
            }
        }
    }

    private static final class Shared
    {
        private final String key;
        private final EmbeddedDriver driver;
        private final Aeron aeron;
        private int users;

        Shared(final String key, final EmbeddedDriver driver, final Aeron aeron)
        {
            this.key = key;
            this.driver = driver;
            this.aeron = aeron;
        }

        void close()
        {
            try
            {
                aeron.close();
            }
            finally
            {
                if (driver != null)
                {
                    driver.close();
                }
            }
        }
    }

    /**
     * @param uri the URI being opened.
     * @return a lease on the client for its driver; close it when done.
     * @throws IllegalArgumentException if {@code aeronDir} names no running driver, or {@code driverIdle} differs
     *                                  from the embedded driver already running.
     */
    static synchronized Lease acquire(final AeronUri uri)
    {
        final String key = uri.aeronDir() == null ? EMBEDDED : new File(uri.aeronDir()).getAbsolutePath();
        Shared shared = SHARED.get(key);
        if (shared == null)
        {
            shared = key.equals(EMBEDDED) ? startEmbedded(uri) : connectExternal(uri, key);
            SHARED.put(key, shared);
            installShutdownHook();
        }
        else if (shared.driver != null && uri.driverIdle() != null && !uri.driverIdle().equals(shared.driver.idle()))
        {
            throw new IllegalArgumentException("this JVM's embedded media driver already runs with " + AeronUri.DRIVER_IDLE + "=" +
                shared.driver.idle() + " (one embedded driver per process): " + AeronUri.DRIVER_IDLE + "=" + uri.driverIdle() +
                " uri=" + uri);
        }
        shared.users++;
        return new Lease(shared);
    }

    private static Shared startEmbedded(final AeronUri uri)
    {
        final EmbeddedDriver driver = EmbeddedDriver.start(uri.driverIdle() == null ? "backoff" : uri.driverIdle());
        try
        {
            return new Shared(EMBEDDED, driver, connect(driver.directory()));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    private static Shared connectExternal(final AeronUri uri, final String directory)
    {
        final boolean active;
        try
        {
            active = CommonContext.isDriverActive(new File(directory), CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, (message) -> { });
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("no usable media driver in " + AeronUri.AERON_DIR + "=" + uri.aeronDir() +
                ": " + ex.getMessage() + " uri=" + uri, ex);
        }
        if (!active)
        {
            throw new IllegalArgumentException("no media driver runs in " + AeronUri.AERON_DIR + "=" + uri.aeronDir() +
                " (no CnC file, or its heartbeat is older than " + CommonContext.DEFAULT_DRIVER_TIMEOUT_MS +
                " ms); start one there or leave aeronDir out for an embedded driver: uri=" + uri);
        }
        return new Shared(directory, null, connect(directory));
    }

    private static Aeron connect(final String directory)
    {
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(directory)
            .clientName("shmring")
            // a MessageHandler's exception leaves poll (the message it threw on counts as consumed)
            .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE)
            .errorHandler((ex) -> logClientError(directory, ex)));
    }

    /**
     * An error the Aeron client reports on its own thread: one warning line, the stack trace at level DEBUG
     * (java.util.logging FINE; the CLI prints it with --verbose). Errors about a channel or a registration
     * are the driver's answer to a call that throws them too, so they are DEBUG only.
     */
    private static void logClientError(final String directory, final Throwable ex)
    {
        if (!(ex instanceof RegistrationException) && !(ex instanceof ChannelEndpointException))
        {
            LOGGER.log(System.Logger.Level.WARNING, "Aeron client of {0}: {1}", directory, String.valueOf(ex));
        }
        LOGGER.log(System.Logger.Level.DEBUG, "Aeron client of " + directory, ex);
    }

    private static void release(final Shared shared)
    {
        if (--shared.users == 0)
        {
            SHARED.remove(shared.key);
            shared.close();
        }
    }

    private static void installShutdownHook()
    {
        if (!hookInstalled)
        {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(AeronConnections::closeAllAtExit, "shmring-aeron-shutdown"));
        }
    }

    private static void closeAllAtExit()
    {
        synchronized (AeronConnections.class)
        {
            for (final Shared shared : SHARED.values())
            {
                try
                {
                    shared.close();
                }
                catch (final RuntimeException ex)
                {
                    LOGGER.log(System.Logger.Level.WARNING, "closing Aeron at exit", ex);
                }
            }
            SHARED.clear();
        }
    }
}
