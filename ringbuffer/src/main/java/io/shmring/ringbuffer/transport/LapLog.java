package io.shmring.ringbuffer.transport;

import io.shmring.ringbuffer.LapListener;

import java.nio.file.Path;

/**
 * The lap listener of a {@code shm:} subscriber on a lossy broadcast ring, which has no other way to tell its user: each
 * lap is one warning through {@link System.Logger} (the {@code shmring} command prints it as one line on stderr) with
 * the bytes lost and the totals so far, so a tap never loses messages without a word. A lap is rare and already a loss;
 * the message is built only then.
 */
final class LapLog implements LapListener
{
    private static final System.Logger LOGGER = System.getLogger(LapLog.class.getName());

    private final Path path;
    private long laps;
    private long lostBytes;

    LapLog(final Path path)
    {
        this.path = path;
    }

    @Override
    public void onLap(final long lost)
    {
        laps++;
        lostBytes += lost;
        LOGGER.log(System.Logger.Level.WARNING, "lossy broadcast consumer lapped by the producer: lost {0} bytes of " +
            "messages (laps {1}, {2} bytes lost in all); going on with the next message published: path={3}",
            lost, laps, lostBytes, path);
    }
}
