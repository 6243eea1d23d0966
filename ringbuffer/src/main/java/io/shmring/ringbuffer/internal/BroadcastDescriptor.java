package io.shmring.ringbuffer.internal;

import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.RingKind;

import java.util.concurrent.TimeUnit;

/**
 * Byte layout of a broadcast ring (kind {@link RingKind#BROADCAST}, docs/LAYOUT.md section 7): the fields it adds
 * to the header page, the control-block lines it uses, and its consumer table. Everything else (magic, version,
 * capacity, frames, wake lines, stream word, ring state, party records) is as {@link RingDescriptor} says. Offsets
 * are from the start of the file unless said otherwise; integers are little-endian.
 * <pre>
 *   Header page, after the fields every kind has (RingDescriptor.HEADER_FIELDS_LENGTH = 72)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Consumer Slots (int32; 0 in SPSC and MPSC files)       |  72
 *  +---------------------------------------------------------------+
 *  |        Policy (int32: 1 lossless, 2 lossy; 0 otherwise)       |  76
 *  +---------------------------------------------------------------+
 *  |        Stall Timeout (int64 ms; lossless only, else 0)        |  80
 *  +---------------------------------------------------------------+
 *
 *   Control block lines a broadcast ring uses (the others keep their RingDescriptor meaning or stay zero)
 *  +---------------------------------------------------------------+
 *  | line 0  Tail (int64), Tail Intent (int64, lossy)              |  4096, 4104
 *  | line 2  Floor (int64, lossless): the slowest consumer's       |  4352
 *  |         position as the producer last computed it             |
 *  | line 4  Producer party record (40 bytes)                      |  4608
 *  | line 5  Not-empty wake line: every consumer sleeps here       |  4736
 *  | line 6  Not-full wake line: the lossless producer sleeps here |  4864
 *  | line 7  Stream word, ring state (as for every kind)           |  4992
 *  | line 8  Dropped Consumers (int64, lossless: drops ever made)  |  5120
 *  | line 9  Checkpoints: 16 x int64 frame starts (lossy)          |  5248
 *  +---------------------------------------------------------------+
 *  | Consumer table: Consumer Slots x 128 bytes                    |  6144 (no producer table)
 *  +---------------------------------------------------------------+
 *  | Data: align4096(6144 + 128 x Consumer Slots)                  |
 *  +---------------------------------------------------------------+
 *
 *   Consumer slot (offsets from the slot start; one slot a consumer, 128 bytes, nobody else writes its line
 *   but the producer's rare drop)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Party record (40 bytes: owner word, heartbeat, identity;    |   0
 *  |   see io.shmring.ringbuffer.internal.PartyDescriptor)        ...
 *  +---------------------------------------------------------------+
 *  |   Position (int64): next byte to read; -1 = not reading       |  40
 *  +---------------------------------------------------------------+
 *  |   Delivered (int64): messages delivered since joining         |  48
 *  +---------------------------------------------------------------+
 *  |   Laps (int64, lossy): times the producer lapped it           |  56
 *  +---------------------------------------------------------------+
 *  |   Lost Bytes (int64, lossy): bytes skipped by those laps      |  64
 *  +---------------------------------------------------------------+
 *  |   Drops (int64, lossless): times the producer dropped it      |  72
 *  +---------------------------------------------------------------+
 *  |   Delivered Bytes (int64): their payload bytes                |  80
 *  +---------------------------------------------------------------+
 *  |   Reserved (zero) up to 128                                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A consumer takes a free slot, or one whose holder is dead, by taking over its party record; its position is
 * what protects unread bytes from a lossless producer, which drops a consumer by a CAS of that position to
 * {@link #NOT_READING} (the consumer publishes its progress by a CAS too, so a consumer moving at the same moment
 * is never dropped unnoticed). A lossy ring's producer stores the tail intent (the end of the frame it is about to
 * write) before writing, and a reader checks it after copying a frame: the frame at position p was intact if
 * {@code intent <= p + capacity}. Checkpoints are starts of frames, one per sixteenth of the data region and lap,
 * where a lossy consumer may start reading.
 */
public final class BroadcastDescriptor
{
    /** Consumer position of a slot whose holder is not reading: free, left, dropped, or between steps of a join. */
    public static final long NOT_READING = -1;

    /** Most consumer slots a file may have. */
    public static final int MAX_CONSUMER_SLOTS = 1024;

    /** Consumer slots a broadcast ring gets when none are given. */
    public static final int DEFAULT_CONSUMER_SLOTS = 16;

    /** Stall timeout a lossless ring gets when none is given. */
    public static final long DEFAULT_STALL_TIMEOUT_MS = 5_000;

    /** Shortest stall timeout accepted: five heartbeat intervals. */
    public static final long MIN_STALL_TIMEOUT_MS = 5 * PartyDescriptor.HEARTBEAT_INTERVAL_MS;

    /** Longest stall timeout accepted (one day). */
    public static final long MAX_STALL_TIMEOUT_MS = TimeUnit.DAYS.toMillis(1);

    /** Checkpoints in the checkpoint line: the data region is cut into this many segments. */
    public static final int CHECKPOINTS = 16;

    /** Consumer slots (int32), fixed at creation. */
    public static final int CONSUMER_SLOTS_OFFSET = RingDescriptor.HEADER_FIELDS_LENGTH;
    /** Policy (int32): a {@link BroadcastPolicy} code. */
    public static final int POLICY_OFFSET = CONSUMER_SLOTS_OFFSET + Integer.BYTES;
    /** Lossless stall timeout (int64 ms; 0 for lossy). */
    public static final int STALL_TIMEOUT_OFFSET = POLICY_OFFSET + Integer.BYTES;
    /** Bytes of the header page a broadcast ring uses; the rest of the page is reserved. */
    public static final int HEADER_FIELDS_LENGTH = STALL_TIMEOUT_OFFSET + Long.BYTES;

    /** Tail (int64 ring position): the end of what the producer has published. */
    public static final int TAIL_OFFSET = RingDescriptor.TAIL_OFFSET;
    /** Lossy: the end of the space the producer has begun to write (stored before the bytes). */
    public static final int TAIL_INTENT_OFFSET = TAIL_OFFSET + Long.BYTES;
    /** Lossless: the floor, the slowest live consumer's position as the producer last computed it (the head line). */
    public static final int FLOOR_OFFSET = RingDescriptor.HEAD_OFFSET;
    /** The producer's party record. */
    public static final int PRODUCER_PARTY_OFFSET = RingDescriptor.PRODUCER_PARTY_OFFSET;
    /** The ring-wide counters line. */
    public static final int COUNTERS_LINE_OFFSET = RingDescriptor.LIFECYCLE_LINE_OFFSET + RingDescriptor.LINE_LENGTH;
    /** Lossless: consumers the producers of this ring have dropped, over its life. */
    public static final int DROPPED_CONSUMERS_OFFSET = COUNTERS_LINE_OFFSET;
    /** The checkpoint line: frame boundaries a lossy joiner may start at. */
    public static final int CHECKPOINTS_OFFSET = COUNTERS_LINE_OFFSET + RingDescriptor.LINE_LENGTH;

    /** The consumer table: where an MPSC ring has its producer table (a broadcast ring has none). */
    public static final int CONSUMER_TABLE_OFFSET = RingDescriptor.PRODUCER_TABLE_OFFSET;
    /** Bytes of one consumer slot. */
    public static final int SLOT_LENGTH = RingDescriptor.LINE_LENGTH;

    /** The slot's party record; slot field offsets are from the start of the slot. */
    public static final int SLOT_PARTY_OFFSET = 0;
    /** Position (int64): the end of what this consumer has consumed. */
    public static final int SLOT_POSITION_OFFSET = SLOT_PARTY_OFFSET + PartyDescriptor.LENGTH;
    /** Messages delivered to this consumer (int64). */
    public static final int SLOT_DELIVERED_OFFSET = SLOT_POSITION_OFFSET + Long.BYTES;
    /** Lossy: times this consumer was lapped (int64). */
    public static final int SLOT_LAPS_OFFSET = SLOT_DELIVERED_OFFSET + Long.BYTES;
    /** Lossy: bytes this consumer lost to laps (int64). */
    public static final int SLOT_LOST_BYTES_OFFSET = SLOT_LAPS_OFFSET + Long.BYTES;
    /** Lossless: times this slot's consumer was dropped (int64). */
    public static final int SLOT_DROPS_OFFSET = SLOT_LOST_BYTES_OFFSET + Long.BYTES;
    /** Payload bytes of the messages delivered to this consumer (int64; 0 if written by code before this field). */
    public static final int SLOT_DELIVERED_BYTES_OFFSET = SLOT_DROPS_OFFSET + Long.BYTES;
    /** Bytes of a slot in use; the rest is reserved. */
    public static final int SLOT_FIELDS_LENGTH = SLOT_DELIVERED_BYTES_OFFSET + Long.BYTES;

    private BroadcastDescriptor()
    {
    }

    /**
     * @param slot index in the consumer table.
     * @return file offset of that slot.
     */
    public static int consumerSlotOffset(final int slot)
    {
        return CONSUMER_TABLE_OFFSET + slot * SLOT_LENGTH;
    }

    /**
     * @param checkpoint index in the checkpoint line, 0..{@link #CHECKPOINTS} - 1.
     * @return file offset of that checkpoint.
     */
    public static int checkpointOffset(final int checkpoint)
    {
        return CHECKPOINTS_OFFSET + checkpoint * Long.BYTES;
    }

    /**
     * @param capacity data bytes, a power of 2.
     * @return the shift that turns a position into its segment number: {@code position >>> shift}.
     */
    public static int segmentShift(final int capacity)
    {
        return Integer.numberOfTrailingZeros(capacity) - Integer.numberOfTrailingZeros(CHECKPOINTS);
    }

    /**
     * @param consumerSlots consumer slots of a broadcast ring.
     * @throws IllegalArgumentException unless in 1..{@link #MAX_CONSUMER_SLOTS}.
     */
    public static void checkConsumerSlots(final int consumerSlots)
    {
        if (consumerSlots < 1 || consumerSlots > MAX_CONSUMER_SLOTS)
        {
            throw new IllegalArgumentException(
                "consumerSlots must be in 1.." + MAX_CONSUMER_SLOTS + ": consumerSlots=" + consumerSlots);
        }
    }

    /**
     * @param policy         the ring's policy.
     * @param stallTimeoutMs its stall timeout.
     * @throws IllegalArgumentException unless a lossless ring's timeout is in
     *                                  [{@link #MIN_STALL_TIMEOUT_MS}, {@link #MAX_STALL_TIMEOUT_MS}] and a lossy one's is 0.
     */
    public static void checkStallTimeout(final BroadcastPolicy policy, final long stallTimeoutMs)
    {
        if (policy == BroadcastPolicy.LOSSY && stallTimeoutMs != 0)
        {
            throw new IllegalArgumentException("a lossy ring has no stall timeout (its producer never waits): stallTimeoutMs=" +
                stallTimeoutMs);
        }
        if (policy == BroadcastPolicy.LOSSLESS && (stallTimeoutMs < MIN_STALL_TIMEOUT_MS || stallTimeoutMs > MAX_STALL_TIMEOUT_MS))
        {
            throw new IllegalArgumentException("stall timeout must be in " + MIN_STALL_TIMEOUT_MS + ".." + MAX_STALL_TIMEOUT_MS +
                " ms: stallTimeoutMs=" + stallTimeoutMs);
        }
    }

    /**
     * The broadcast fields of a header, for any kind: a broadcast ring needs consumer slots, a policy and a stall
     * timeout that fits it, and no producer table; SPSC and MPSC rings have zero in all three.
     *
     * @param kind           the ring kind.
     * @param producerSlots  the header's producer slots.
     * @param consumerSlots  the header's consumer slots.
     * @param policyCode     the header's policy code.
     * @param stallTimeoutMs the header's stall timeout.
     * @throws IllegalArgumentException naming the first value that does not fit.
     */
    public static void checkHeader(
        final RingKind kind, final int producerSlots, final int consumerSlots, final int policyCode, final long stallTimeoutMs)
    {
        if (kind != RingKind.BROADCAST)
        {
            if (consumerSlots != 0 || policyCode != 0 || stallTimeoutMs != 0)
            {
                throw new IllegalArgumentException("an " + kind + " ring has no consumer slots, policy or stall timeout: " +
                    "consumerSlots=" + consumerSlots + " policy=" + policyCode + " stallTimeoutMs=" + stallTimeoutMs);
            }
            return;
        }
        if (producerSlots != 0)
        {
            throw new IllegalArgumentException("a broadcast ring has no producer table: producerSlots=" + producerSlots);
        }
        checkConsumerSlots(consumerSlots);
        final BroadcastPolicy policy = BroadcastPolicy.fromCode(policyCode);
        if (policy == null)
        {
            throw new IllegalArgumentException("unknown broadcast policy: policy=" + policyCode);
        }
        checkStallTimeout(policy, stallTimeoutMs);
    }
}
