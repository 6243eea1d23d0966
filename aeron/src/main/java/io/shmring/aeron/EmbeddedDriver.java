package io.shmring.aeron;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.shmring.core.internal.ProcessIdentity;
import io.shmring.core.internal.SharedMemoryDirectory;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A media driver inside this JVM, one thread ({@link ThreadingMode#SHARED}), its directory
 * {@code /dev/shm/shmring-aeron-PID-STARTMS-PIDNS-RANDOM} created at start and deleted at close (PIDNS: the inode of
 * the pid namespace, 0 if unknown).
 * <p>
 * A process killed with its driver running cannot delete the directory (log buffers: tens of MiB per
 * stream). Each new embedded driver therefore removes such leftovers first: a directory of this name
 * pattern whose process (pid and start time) is gone, judged in this pid namespace; a directory from another
 * namespace only once its driver has also not heartbeated within the driver timeout. Not thread-safe:
 * {@link AeronConnections} guards it.
 */
final class EmbeddedDriver implements AutoCloseable
{
    /** Start of every embedded driver's directory name. */
    static final String DIRECTORY_PREFIX = "shmring-aeron-";

    private static final long TIMER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final System.Logger LOGGER = System.getLogger(EmbeddedDriver.class.getName());
    private static final long PID_NAMESPACE = pidNamespace();

    private final MediaDriver driver;
    private final String idle;

    private EmbeddedDriver(final MediaDriver driver, final String idle)
    {
        this.driver = driver;
        this.idle = idle;
    }

    /**
     * @param idle the driver thread's idle strategy: spin, yield or backoff.
     * @return a running driver.
     */
    static EmbeddedDriver start(final String idle)
    {
        removeLeftovers(SharedMemoryDirectory.get());
        final Path directory = SharedMemoryDirectory.resolve(DIRECTORY_PREFIX + ProcessIdentity.currentPid() + "-" +
            ProcessIdentity.currentStartTimeMs() + "-" + PID_NAMESPACE + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategy(idle))
            // publication and image state moves on these ticks: 100 ms (Aeron's default 1 s) lets a closing
            // publisher learn within a few ticks that its subscriber received everything
            .timerIntervalNs(TIMER_INTERVAL_NS)
            // what the driver reports (a bad channel, an address in use) also reaches the call that asked for it, as an
            // exception: here it is detail (level DEBUG, java.util.logging FINE; the CLI prints it with --verbose)
            .errorHandler((ex) -> LOGGER.log(System.Logger.Level.DEBUG, "embedded Aeron media driver in " + directory, ex));
        try
        {
            return new EmbeddedDriver(MediaDriver.launch(context), idle);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.delete(directory.toFile(), true);
            throw ex;
        }
    }

    /**
     * @param idle spin, yield or backoff.
     * @return a new idle strategy of that kind.
     */
    static IdleStrategy idleStrategy(final String idle)
    {
        switch (idle)
        {
            case "spin":
                return new BusySpinIdleStrategy();
            case "yield":
                return new YieldingIdleStrategy();
            default:
                return new BackoffIdleStrategy();
        }
    }

    /**
     * @return the driver's directory.
     */
    String directory()
    {
        return driver.aeronDirectoryName();
    }

    /**
     * @return the idle strategy it was started with.
     */
    String idle()
    {
        return idle;
    }

    /**
     * @return how long this driver keeps a closed publication for late retransmits, in nanoseconds.
     */
    long publicationLingerNs()
    {
        return driver.context().publicationLingerTimeoutNs();
    }

    /**
     * Stop the driver and delete its directory.
     */
    @Override
    public void close()
    {
        try
        {
            driver.close();
        }
        finally
        {
            IoUtil.delete(new File(directory()), true); // normally gone already (dirDeleteOnShutdown)
        }
    }

    /**
     * Delete directories of embedded drivers whose process is gone.
     *
     * @param parent the shared-memory directory.
     */
    static void removeLeftovers(final Path parent)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, DIRECTORY_PREFIX + "*"))
        {
            for (final Path entry : entries)
            {
                if (isLeftover(entry))
                {
                    LOGGER.log(System.Logger.Level.DEBUG, "removing the directory of a dead process''s Aeron driver: {0}", entry);
                    IoUtil.delete(entry.toFile(), true);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + parent + " for leftover Aeron driver directories", ex);
        }
    }

    /**
     * @return the inode of this process's pid namespace ({@code /proc/self/ns/pid -> pid:[4026531836]}), or 0.
     */
    static long pidNamespace()
    {
        try
        {
            final String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            final int open = link.indexOf('[');
            final int close = link.indexOf(']');
            return open < 0 || close <= open ? 0 : Long.parseLong(link.substring(open + 1, close));
        }
        catch (final IOException | UnsupportedOperationException | NumberFormatException ex)
        {
            return 0;
        }
    }

    private static boolean isLeftover(final Path directory)
    {
        final String[] parts = directory.getFileName().toString().substring(DIRECTORY_PREFIX.length()).split("-", -1);
        if (parts.length != 4 || !Files.isDirectory(directory))
        {
            return false;
        }
        final long pid;
        final long startTimeMs;
        final long namespace;
        try
        {
            pid = Long.parseLong(parts[0]);
            startTimeMs = Long.parseLong(parts[1]);
            namespace = Long.parseLong(parts[2]);
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
        if (ProcessIdentity.isAlive(pid, startTimeMs))
        {
            return false;
        }
        if (namespace != 0 && namespace == PID_NAMESPACE)
        {
            return true; // its process is gone, and the pid means the same here: so is its driver
        }
        try
        {
            // another pid namespace may reuse the name space: the driver's own heartbeat has the last word
            return !CommonContext.isDriverActive(directory.toFile(), CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, (message) -> { });
        }
        catch (final RuntimeException ex)
        {
            return false; // a CnC file being initialised: someone is starting a driver there
        }
    }
}
