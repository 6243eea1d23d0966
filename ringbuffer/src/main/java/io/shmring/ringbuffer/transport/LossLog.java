package io.shmring.ringbuffer.transport;

import io.shmring.ringbuffer.ClaimRecoveryListener;
import io.shmring.ringbuffer.LapListener;

import java.nio.file.Path;

/**
 * What a {@code shm:} subscriber, which has no other way to tell its user, says of the messages its consumer skips:
 * each lap of a lossy broadcast consumer, and each claim an MPSC consumer recovers (a dead producer's claim, or a
 * header nobody commits), is one warning through {@link System.Logger} (the {@code shmring} command prints it as one
 * line on stderr) naming what was skipped and the totals so far, so a subscriber never loses messages without a word.
 * Both are rare and already a loss; the message is built only then. Used by the subscriber's polling thread.
 */
final class LossLog implements LapListener, ClaimRecoveryListener
{
    private static final System.Logger LOGGER = System.getLogger(LossLog.class.getName());

    private final Path path;
    private long laps;
    private long recoveries;
    private long lostBytes;

    LossLog(final Path path)
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

    @Override
    public void onClaimRecovered(final long position, final long skippedBytes, final int slot)
    {
        recoveries++;
        lostBytes += skippedBytes;
        LOGGER.log(System.Logger.Level.WARNING, "MPSC consumer skipped {0} bytes at position {1}: a claim of producer " +
            "slot {2} that nobody will commit (its producer died, or its header was overwritten) was recovered into " +
            "padding; what it held is lost (recoveries {3}, {4} bytes skipped in all): path={5}",
            skippedBytes, position, slot, recoveries, lostBytes, path);
    }
}
