package io.shmring.ringbuffer.transport;

import io.shmring.ringbuffer.InvalidRingFileException;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Create-or-open of a ring file, safe when the publisher and the subscriber (in any processes) arrive
 * at once: creation is exclusive ({@code CREATE_NEW}), the loser of that race opens instead, and an
 * opener that finds the file still being initialised (shorter than a ring, or magic not yet published)
 * retries for up to {@link #INITIALISATION_WAIT_NS} before failing.
 */
final class ShmRingFiles
{
    /** How long an opener waits for a concurrent creator to finish the header. */
    static final long INITIALISATION_WAIT_NS = 2_000_000_000L;

    private static final long RETRY_PARK_NS = 1_000_000;

    private ShmRingFiles()
    {
    }

    /**
     * @param path   the ring file.
     * @param config what to create if it is absent.
     * @return the open ring file, and whether this call created it.
     */
    static Opened createOrOpen(final Path path, final RingConfig config)
    {
        final long deadline = System.nanoTime() + INITIALISATION_WAIT_NS;
        while (true)
        {
            if (Files.exists(path))
            {
                try
                {
                    return new Opened(RingFile.open(path), false);
                }
                catch (final InvalidRingFileException ex)
                {
                    // the creator sizes the file, then writes the header, then publishes the magic last: a file seen
                    // too short or with magic 0 may be mid-creation whatever it looks like by the time we look again
                    if (!ex.mayBeInitialising() || System.nanoTime() - deadline > 0)
                    {
                        throw ex;
                    }
                    LockSupport.parkNanos(RETRY_PARK_NS);
                    continue;
                }
                catch (final IllegalStateException ex)
                {
                    // deleted between the check and the open (create it), or still empty (wait for its creator)
                    if (Files.exists(path) && System.nanoTime() - deadline > 0)
                    {
                        throw ex;
                    }
                    LockSupport.parkNanos(RETRY_PARK_NS);
                    continue;
                }
            }
            try
            {
                return new Opened(RingFile.create(path, config), true);
            }
            catch (final IllegalStateException ex)
            {
                if (!Files.exists(path))
                {
                    throw ex;
                }
                // another process created it first: open theirs
            }
        }
    }

    /**
     * An open ring file and who made it.
     *
     * @param file    the ring file.
     * @param created true if this process created it.
     */
    record Opened(RingFile file, boolean created)
    {
    }
}
