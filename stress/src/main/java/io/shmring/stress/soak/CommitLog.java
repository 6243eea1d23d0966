package io.shmring.stress.soak;

import io.shmring.core.internal.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;

import static io.shmring.stress.soak.CommitLogDescriptor.*;

/**
 * The soak's commit log (layout in {@link CommitLogDescriptor}): per producer incarnation, how many
 * messages it committed, kept in a mapped file so it survives the incarnation's SIGKILL.
 * <p>
 * A producer records {@code committed = sequence + 1} right after each commit returns, and before it
 * claims the next message; so when it dies, at most one committed message (the one whose record the
 * kill interrupted) is missing from the record. {@link DeliveryVerifier} rests its rule on that.
 */
public final class CommitLog implements AutoCloseable
{
    private final MappedRegion region;
    private final AtomicBuffer buffer;
    private final int maxIncarnations;

    private CommitLog(final MappedRegion region)
    {
        this.region = region;
        this.buffer = region.buffer();
        this.maxIncarnations = buffer.getInt(MAX_INCARNATIONS_OFFSET);
    }

    /**
     * Create a log file, mode 0600.
     *
     * @param path            file to create; must not exist.
     * @param maxIncarnations entries.
     * @return the open log.
     */
    public static CommitLog create(final Path path, final int maxIncarnations)
    {
        return initialise(MappedRegion.create(path, fileLength(maxIncarnations)), maxIncarnations);
    }

    /**
     * A log in direct memory of this process, for tests of the verifier.
     *
     * @param maxIncarnations entries.
     * @return the log; {@link #path()} is null.
     */
    public static CommitLog allocateDirect(final int maxIncarnations)
    {
        return initialise(MappedRegion.allocateDirect(fileLength(maxIncarnations)), maxIncarnations);
    }

    private static CommitLog initialise(final MappedRegion region, final int maxIncarnations)
    {
        region.buffer().putInt(MAX_INCARNATIONS_OFFSET, maxIncarnations);
        region.buffer().putLongRelease(MAGIC_OFFSET, MAGIC); // release: an opener that sees the magic sees the size
        return new CommitLog(region);
    }

    /**
     * Open a log file, checking its magic, size and length before any entry is touched.
     *
     * @param path the file.
     * @return the open log.
     * @throws IllegalArgumentException if the file is not a commit log.
     */
    public static CommitLog open(final Path path)
    {
        final MappedRegion region = MappedRegion.open(path);
        try
        {
            if (region.length() < HEADER_LENGTH)
            {
                throw new IllegalArgumentException("commit log too short: length=" + region.length() + " path=" + path);
            }
            final long magic = region.buffer().getLongAcquire(MAGIC_OFFSET); // acquire: pairs with the creator's release
            if (magic != MAGIC)
            {
                throw new IllegalArgumentException("not a soak commit log: magic=0x" + Long.toHexString(magic) + " path=" + path);
            }
            final int max = checkMaxIncarnations(region.buffer().getInt(MAX_INCARNATIONS_OFFSET));
            if (region.length() < fileLength(max))
            {
                throw new IllegalArgumentException(
                    "commit log shorter than its header says: length=" + region.length() + " expected=" + fileLength(max));
            }
            return new CommitLog(region);
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
    }

    /**
     * @return the file, or null for a log in direct memory.
     */
    public Path path()
    {
        return region.path();
    }

    /**
     * @return entries in the log.
     */
    public int maxIncarnations()
    {
        return maxIncarnations;
    }

    /**
     * @return incarnations the controller has started, numbered 0..n-1.
     */
    public int incarnationsStarted()
    {
        return (int)buffer.getLongAcquire(INCARNATIONS_STARTED_OFFSET); // acquire: the entries below it are written
    }

    /**
     * Controller: allot the next entry to a new incarnation of {@code producer}, before its JVM starts.
     *
     * @param producer producer index.
     * @return the incarnation number.
     * @throws IllegalStateException if the log is full.
     */
    public int startIncarnation(final int producer)
    {
        final int incarnation = incarnationsStarted();
        if (incarnation >= maxIncarnations)
        {
            throw new IllegalStateException("commit log full: maxIncarnations=" + maxIncarnations);
        }
        final int offset = entryOffset(incarnation);
        buffer.putInt(offset + PRODUCER_OFFSET, producer);
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_STARTED); // release: the producer index is visible with the state
        buffer.putLongRelease(INCARNATIONS_STARTED_OFFSET, incarnation + 1L); // release: the entry is complete before it counts
        return incarnation;
    }

    /**
     * Producer: it holds a ring slot now.
     */
    public void markRegistered(final int incarnation, final long pid)
    {
        final int offset = entryOffset(checkIncarnation(incarnation));
        buffer.putLong(offset + PID_OFFSET, pid);
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_REGISTERED); // release: the pid is visible with the state
    }

    /**
     * Producer: sequences {@code 0..committed-1} are committed.
     */
    public void recordCommitted(final int incarnation, final long committed)
    {
        buffer.putLongRelease(entryOffset(incarnation) + COMMITTED_OFFSET, committed); // release: readers see counts only grow
    }

    /**
     * Producer: it holds a claim for {@code sequence} and is pausing inside it (the controller aims kills here).
     */
    public void markOpenClaim(final int incarnation, final long sequence)
    {
        buffer.putLongRelease(entryOffset(incarnation) + OPEN_CLAIM_OFFSET, sequence + 1); // release: Committed is current before it
    }

    /**
     * Producer: the paused claim is committed and recorded.
     */
    public void clearOpenClaim(final int incarnation)
    {
        buffer.putLongRelease(entryOffset(incarnation) + OPEN_CLAIM_OFFSET, 0); // release: after the Committed record
    }

    /**
     * Producer: one more time the ring was full and it waited for space.
     */
    public void countFullWait(final int incarnation)
    {
        final int offset = entryOffset(incarnation) + FULL_WAITS_OFFSET;
        buffer.putLongOpaque(offset, buffer.getLong(offset) + 1); // opaque: one writer; readers want a recent count
    }

    /**
     * Producer: one more claim held open across a pause.
     */
    public void countPausedClaim(final int incarnation)
    {
        final int offset = entryOffset(incarnation) + PAUSED_CLAIMS_OFFSET;
        buffer.putLongOpaque(offset, buffer.getLong(offset) + 1); // opaque: one writer; readers want a recent count
    }

    /**
     * Controller: ask the incarnation to hold its next paused claim open until it dies, so a kill lands
     * inside that claim for certain.
     */
    public void requestHold(final int incarnation)
    {
        buffer.putLongOpaque(entryOffset(checkIncarnation(incarnation)) + HOLD_REQUESTED_OFFSET, 1); // opaque: a flag guarding no other data
    }

    /**
     * @return true if the controller asked the incarnation to hold its next paused claim.
     */
    public boolean isHoldRequested(final int incarnation)
    {
        return buffer.getLongOpaque(entryOffset(checkIncarnation(incarnation)) + HOLD_REQUESTED_OFFSET) != 0; // opaque: a flag guarding no other data
    }

    /**
     * Producer: it holds the claim for {@code sequence} open and will not commit it while the controller runs.
     */
    public void markHeldClaim(final int incarnation, final long sequence)
    {
        buffer.putLongRelease(entryOffset(incarnation) + HELD_CLAIM_OFFSET, sequence + 1); // release: Open Claim and Committed are current before it
    }

    /**
     * @return sequence + 1 of the claim the incarnation holds open until it dies, 0 if none.
     */
    public long heldClaim(final int incarnation)
    {
        return buffer.getLongAcquire(entryOffset(checkIncarnation(incarnation)) + HELD_CLAIM_OFFSET); // acquire: pairs with the mark
    }

    /**
     * Consumer: what it has done so far, written after each take so the controller can follow the run.
     *
     * @param messages   messages delivered.
     * @param sleeps     native sleeps on the not-empty wake line.
     * @param recoveries dead claims recovered.
     */
    public void publishConsumerProgress(final long messages, final long sleeps, final long recoveries)
    {
        buffer.putLongOpaque(CONSUMER_MESSAGES_OFFSET, messages); // opaque: one writer; the controller wants recent counts
        buffer.putLongOpaque(CONSUMER_SLEEPS_OFFSET, sleeps); // opaque: as above
        buffer.putLongOpaque(CONSUMER_RECOVERIES_OFFSET, recoveries); // opaque: as above
    }

    /**
     * @return messages the consumer had delivered at its last take.
     */
    public long consumerMessages()
    {
        return buffer.getLongOpaque(CONSUMER_MESSAGES_OFFSET); // opaque: a count
    }

    /**
     * @return native sleeps of the consumer on the not-empty wake line, as of its last take.
     */
    public long consumerSleeps()
    {
        return buffer.getLongOpaque(CONSUMER_SLEEPS_OFFSET); // opaque: a count
    }

    /**
     * @return dead claims the consumer had recovered at its last take.
     */
    public long consumerRecoveries()
    {
        return buffer.getLongOpaque(CONSUMER_RECOVERIES_OFFSET); // opaque: a count
    }

    /**
     * Producer: it stopped cleanly; Committed is final and complete.
     */
    public void markStopped(final int incarnation)
    {
        buffer.putIntRelease(entryOffset(incarnation) + STATE_OFFSET, STATE_STOPPED); // release: after the last Committed record
    }

    /**
     * @return producer index of the incarnation.
     */
    public int producer(final int incarnation)
    {
        return buffer.getInt(entryOffset(checkIncarnation(incarnation)) + PRODUCER_OFFSET);
    }

    /**
     * @return one of the {@code STATE_*} values.
     */
    public int state(final int incarnation)
    {
        return buffer.getIntAcquire(entryOffset(checkIncarnation(incarnation)) + STATE_OFFSET); // acquire: pairs with each state's release
    }

    /**
     * @return sequences recorded as committed.
     */
    public long committed(final int incarnation)
    {
        return buffer.getLongAcquire(entryOffset(checkIncarnation(incarnation)) + COMMITTED_OFFSET); // acquire: pairs with the record
    }

    /**
     * @return sequence + 1 of the claim the incarnation pauses inside, 0 if none.
     */
    public long openClaim(final int incarnation)
    {
        return buffer.getLongAcquire(entryOffset(checkIncarnation(incarnation)) + OPEN_CLAIM_OFFSET); // acquire: pairs with the mark
    }

    /**
     * @return pid of the incarnation's JVM, 0 before it registered.
     */
    public long pid(final int incarnation)
    {
        return buffer.getLongAcquire(entryOffset(checkIncarnation(incarnation)) + PID_OFFSET); // acquire: pairs with registration
    }

    /**
     * @return times it waited on a full ring.
     */
    public long fullWaits(final int incarnation)
    {
        return buffer.getLongOpaque(entryOffset(checkIncarnation(incarnation)) + FULL_WAITS_OFFSET); // opaque: a count
    }

    /**
     * @return claims it held open across a pause.
     */
    public long pausedClaims(final int incarnation)
    {
        return buffer.getLongOpaque(entryOffset(checkIncarnation(incarnation)) + PAUSED_CLAIMS_OFFSET); // opaque: a count
    }

    /**
     * Unmap the log.
     */
    @Override
    public void close()
    {
        region.close();
    }

    /**
     * Delete the file, if this log has one.
     */
    public void delete()
    {
        region.delete();
    }

    private int checkIncarnation(final int incarnation)
    {
        if (incarnation < 0 || incarnation >= maxIncarnations)
        {
            throw new IllegalArgumentException(
                "incarnation must be in 0.." + (maxIncarnations - 1) + ": incarnation=" + incarnation);
        }
        return incarnation;
    }
}
