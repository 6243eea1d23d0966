package io.shmring.stress.soak;

/**
 * Byte layout of the soak's commit log: a small mapped file, outside the ring, where each producer
 * incarnation records how many messages it has committed, so that what a producer committed is known
 * even after a SIGKILL (stores to a shared mapping outlive the process). Integers are little-endian.
 * <p>
 * Header, at offset 0:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Magic (int64)                               |   0
 *  +---------------------------------------------------------------+
 *  |                   Max Incarnations (int32)                    |   8
 *  +---------------------------------------------------------------+
 *  |                   Reserved (int32, 0)                         |  12
 *  +---------------------------------------------------------------+
 *  |                   Incarnations Started (int64)                |  16
 *  +---------------------------------------------------------------+
 *  |                   Consumer Messages (int64)                   |  24
 *  +---------------------------------------------------------------+
 *  |                   Consumer Sleeps (int64)                     |  32
 *  +---------------------------------------------------------------+
 *  |                   Consumer Recoveries (int64)                 |  40
 *  +---------------------------------------------------------------+
 *  |                   Reserved (zero) up to 64                   ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Then one {@link #ENTRY_LENGTH}-byte entry per incarnation, at {@link #entryOffset(int)}:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                   Producer (int32)                            |   0
 *  +---------------------------------------------------------------+
 *  |                   State (int32, STATE_*)                      |   4
 *  +---------------------------------------------------------------+
 *  |                   Committed (int64, sequences 0..n-1 committed)|  8
 *  +---------------------------------------------------------------+
 *  |                   Open Claim (int64, sequence + 1, 0 = none)  |  16
 *  +---------------------------------------------------------------+
 *  |                   Pid (int64)                                 |  24
 *  +---------------------------------------------------------------+
 *  |                   Full Waits (int64)                          |  32
 *  +---------------------------------------------------------------+
 *  |                   Paused Claims (int64)                       |  40
 *  +---------------------------------------------------------------+
 *  |                   Hold Requested (int64, 1 = hold next claim) |  48
 *  +---------------------------------------------------------------+
 *  |                   Held Claim (int64, sequence + 1, 0 = none)  |  56
 *  +---------------------------------------------------------------+
 * </pre>
 * The controller writes Producer and State {@link #STATE_STARTED} before it starts the incarnation's JVM,
 * then bumps Incarnations Started. The producer writes Pid and {@link #STATE_REGISTERED} once it holds a
 * ring slot, Committed after each commit, Open Claim around a deliberately slow claim, and
 * {@link #STATE_STOPPED} when it stops cleanly. The controller sets Hold Requested when it wants this
 * incarnation killed inside a claim for certain; the producer then writes Held Claim at its next paused claim
 * and keeps that claim open until it dies (or the controller goes away). Each field has one writer, and an
 * entry fills its own cache line, so producers never share a line. The consumer writes the Consumer fields of the header after each
 * take, so the controller can see how far the run got without waiting for a progress line.
 */
public final class CommitLogDescriptor
{
    /** "SHMSOAK1" in ASCII, little-endian. */
    public static final long MAGIC = 0x314B_414F_534D_4853L;

    /** Entry never used. */
    public static final int STATE_FREE = 0;
    /** The controller started the incarnation's JVM. */
    public static final int STATE_STARTED = 1;
    /** The incarnation holds a ring producer slot and is sending. */
    public static final int STATE_REGISTERED = 2;
    /** The incarnation stopped cleanly: every message it committed is recorded in Committed. */
    public static final int STATE_STOPPED = 3;

    public static final int MAGIC_OFFSET = 0;
    public static final int MAX_INCARNATIONS_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int HEADER_RESERVED_OFFSET = MAX_INCARNATIONS_OFFSET + Integer.BYTES;
    public static final int INCARNATIONS_STARTED_OFFSET = HEADER_RESERVED_OFFSET + Integer.BYTES;
    public static final int CONSUMER_MESSAGES_OFFSET = INCARNATIONS_STARTED_OFFSET + Long.BYTES;
    public static final int CONSUMER_SLEEPS_OFFSET = CONSUMER_MESSAGES_OFFSET + Long.BYTES;
    public static final int CONSUMER_RECOVERIES_OFFSET = CONSUMER_SLEEPS_OFFSET + Long.BYTES;
    public static final int HEADER_LENGTH = 64;

    public static final int PRODUCER_OFFSET = 0;
    public static final int STATE_OFFSET = PRODUCER_OFFSET + Integer.BYTES;
    public static final int COMMITTED_OFFSET = STATE_OFFSET + Integer.BYTES;
    public static final int OPEN_CLAIM_OFFSET = COMMITTED_OFFSET + Long.BYTES;
    public static final int PID_OFFSET = OPEN_CLAIM_OFFSET + Long.BYTES;
    public static final int FULL_WAITS_OFFSET = PID_OFFSET + Long.BYTES;
    public static final int PAUSED_CLAIMS_OFFSET = FULL_WAITS_OFFSET + Long.BYTES;
    public static final int HOLD_REQUESTED_OFFSET = PAUSED_CLAIMS_OFFSET + Long.BYTES;
    public static final int HELD_CLAIM_OFFSET = HOLD_REQUESTED_OFFSET + Long.BYTES;
    public static final int ENTRY_LENGTH = 64;

    /** Most incarnations a log may hold. */
    public static final int MAX_INCARNATIONS = 1 << 16;

    private CommitLogDescriptor()
    {
    }

    /**
     * @param maxIncarnations entries in the log.
     * @return the log's file length.
     */
    public static long fileLength(final int maxIncarnations)
    {
        return HEADER_LENGTH + (long)checkMaxIncarnations(maxIncarnations) * ENTRY_LENGTH;
    }

    /**
     * @param incarnation an incarnation number.
     * @return offset of its entry.
     */
    public static int entryOffset(final int incarnation)
    {
        return HEADER_LENGTH + incarnation * ENTRY_LENGTH;
    }

    /**
     * @param maxIncarnations entries wanted.
     * @return the value.
     * @throws IllegalArgumentException unless in 1..{@link #MAX_INCARNATIONS}.
     */
    public static int checkMaxIncarnations(final int maxIncarnations)
    {
        if (maxIncarnations < 1 || maxIncarnations > MAX_INCARNATIONS)
        {
            throw new IllegalArgumentException(
                "max incarnations must be in 1.." + MAX_INCARNATIONS + ": maxIncarnations=" + maxIncarnations);
        }
        return maxIncarnations;
    }
}
