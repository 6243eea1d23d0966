package io.shmring.ringbuffer.internal;

import io.shmring.ringbuffer.RingKind;
import io.shmring.core.FrameDescriptor;
import io.shmring.sync.WakeProtocol;
import org.agrona.BitUtil;

/**
 * Byte layout of a ring file; docs/LAYOUT.md describes the same layout for other languages.
 * All integers are little-endian; offsets are from the start of the file.
 * <pre>
 *   Header page (offset 0, 4096 bytes, written once by the creator; magic last)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Magic "SHMRING\0" (int64)                        |   0
 *  +---------------------------------------------------------------+
 *  |                   Layout Version (int32)                      |   8
 *  +---------------------------------------------------------------+
 *  |           Ring Kind (int32: 1 SPSC, 2 MPSC, 3 BROADCAST)      |  12
 *  +---------------------------------------------------------------+
 *  |                   Capacity (int32, power of 2)                |  16
 *  +---------------------------------------------------------------+
 *  |                   Max Message Length (int32)                  |  20
 *  +---------------------------------------------------------------+
 *  |                   Producer Slots (int32)                      |  24
 *  +---------------------------------------------------------------+
 *  |                   Wake Mechanism (int32: 1 futex, 2 semaphore)|  28
 *  +---------------------------------------------------------------+
 *  |                   Data Start (int64)                          |  32
 *  +---------------------------------------------------------------+
 *  |                   File Length (int64)                         |  40
 *  +---------------------------------------------------------------+
 *  |                   Creator Pid (int64)                         |  48
 *  +---------------------------------------------------------------+
 *  |                   Creator Start Time (int64, epoch ms)        |  56
 *  +---------------------------------------------------------------+
 *  |                   Creation Time (int64, epoch ms)             |  64
 *  +---------------------------------------------------------------+
 *  |   Broadcast fields (BroadcastDescriptor; zero in SPSC/MPSC)   |  72
 *  +---------------------------------------------------------------+
 *  |                   Reserved (zero) up to 4096                 ...
 *  +---------------------------------------------------------------+
 *
 *   Control block (offset 4096): 16 lines of 128 bytes, so no two writers share a cache line
 *   (128 bytes also defeats the adjacent-line prefetcher)
 *  +---------------------------------------------------------------+
 *  | line 0  Tail position (int64)                                 |  4096
 *  | line 1  Head cache (int64; MPSC producers share it)           |  4224
 *  | line 2  Head position (int64), release target (int64, MPSC)   |  4352
 *  | line 3  Consumer party record (40 bytes, PartyDescriptor),    |  4480
 *  |         recovered claims (int64), consumer counters (32 bytes)|
 *  | line 4  SPSC producer party record (40 bytes), its counters   |  4608
 *  |         (32 bytes; EndCounters)                               |
 *  | line 5  Not-empty wake line: the consumer sleeps here         |  4736
 *  |         (sequence int32, waiters int32, sem_t at +64; see     |
 *  |         io.shmring.sync.internal.WakeLineDescriptor)                   |
 *  | line 6  Not-full wake line: producers sleep here; same layout |  4864
 *  | line 7  Stream word (int64: 2 * generation + ended),          |  4992
 *  |         ring state (int32: 0 live, 1 retiring, 2 retired)     |
 *  | line 8..15 Reserved (zero)                                    |  5120
 *  +---------------------------------------------------------------+
 *  | Producer table (MPSC): Producer Slots x 128 bytes, each laid  |  6144
 *  | out as ProducerSlotDescriptor says; a broadcast ring has its  |
 *  | consumer table here instead (BroadcastDescriptor)             |
 *  +---------------------------------------------------------------+
 *  | (zero up to the next 4096 boundary)                           |
 *  +---------------------------------------------------------------+
 *  | Data: Capacity bytes of frames (see FrameDescriptor)          |  Data Start
 *  +---------------------------------------------------------------+
 * </pre>
 * Positions are ever-increasing byte counts; a frame at position p lives at data index
 * {@code p & (capacity - 1)}.
 * <p>
 * MPSC data: bytes not yet written are zero (a new file is), and the consumer zeroes what it has
 * consumed before moving the head. A frame header reads as length 0 (claimed range, header not yet
 * written; see {@link ProducerSlotDescriptor} for its recovery), negative length with a
 * {@code ClaimMarker} type id (claimed, not committed) or positive length (committed; padding has
 * type id {@link FrameDescriptor#PADDING_TYPE_ID}).
 * <p>
 * The wake mechanism (io.shmring.sync.WakeMechanism codes) is chosen at
 * creation and shared by every process: with the semaphore one, the creator {@code sem_init}s
 * (pshared=1) both wake lines' semaphores before publishing the magic.
 */
public final class RingDescriptor
{
    /** "SHMRING" followed by a zero byte, read as a little-endian int64. */
    public static final long MAGIC = 0x00474E49524D4853L;

    /**
     * Layout version 2: party records with tagged identities, the stream word, the ring state and the MPSC release
     * target (it replaced version 1, whose attach records a version-2 process would misread). Every notifier fences
     * after its publication (docs/LAYOUT.md 4.4). Read, and written for every ring created with the default
     * {@link WakeProtocol#FENCED}.
     */
    public static final int LAYOUT_VERSION_FENCED = 2;

    /**
     * Layout version 3: the bytes of version 2, plus one rule: every sleeper on a wake line issues
     * {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)} before its last check, so a notifier in a process registered for
     * it may skip its fence (docs/LAYOUT.md 2.1, 4.3 to 4.5). Code that knows only version 2 refuses the file, so it never
     * sleeps on a ring whose notifiers skip their fence. Created for a {@link WakeProtocol#MEMBARRIER} config only.
     */
    public static final int LAYOUT_VERSION_MEMBARRIER = 3;

    /** Page size the data region is aligned to. */
    public static final int PAGE_SIZE = 4096;

    /** Distance between independently written fields. */
    public static final int LINE_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;

    /** Smallest capacity accepted. */
    public static final int MIN_CAPACITY = 64;

    /** Largest capacity accepted: 1 GiB keeps every index an int. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Most producer slots a file may have. */
    public static final int MAX_PRODUCER_SLOTS = 4096;

    /** Magic (int64): identifies a shmring ring file. */
    public static final int MAGIC_OFFSET = 0;
    /** Layout version (int32). */
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Ring kind (int32): a {@link RingKind} code. */
    public static final int RING_KIND_OFFSET = LAYOUT_VERSION_OFFSET + Integer.BYTES;
    /** Capacity of the data region in bytes (int32, a power of 2). */
    public static final int CAPACITY_OFFSET = RING_KIND_OFFSET + Integer.BYTES;
    /** Largest payload in bytes (int32). */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = CAPACITY_OFFSET + Integer.BYTES;
    /** Entries in the producer table (int32). */
    public static final int PRODUCER_SLOTS_OFFSET = MAX_MESSAGE_LENGTH_OFFSET + Integer.BYTES;
    /** How sleepers on the wake lines are woken: an io.shmring.sync.WakeMechanism code. */
    public static final int WAKE_MECHANISM_OFFSET = PRODUCER_SLOTS_OFFSET + Integer.BYTES;
    /** File offset of the data region (int64). */
    public static final int DATA_START_OFFSET = WAKE_MECHANISM_OFFSET + Integer.BYTES;
    /** Length of the whole file in bytes (int64). */
    public static final int FILE_LENGTH_OFFSET = DATA_START_OFFSET + Long.BYTES;
    /** Pid of the creating process (int64). */
    public static final int CREATOR_PID_OFFSET = FILE_LENGTH_OFFSET + Long.BYTES;
    /** Start time of the creating process (int64, wall-clock ms since the epoch). */
    public static final int CREATOR_START_TIME_OFFSET = CREATOR_PID_OFFSET + Long.BYTES;
    /** Creation time (int64, wall-clock ms since the epoch). */
    public static final int CREATION_TIME_OFFSET = CREATOR_START_TIME_OFFSET + Long.BYTES;
    /** Bytes of the header page in use; the rest of the page is reserved. */
    public static final int HEADER_FIELDS_LENGTH = CREATION_TIME_OFFSET + Long.BYTES;
    /** Bytes of the header page. */
    public static final int HEADER_PAGE_LENGTH = PAGE_SIZE;

    /** File offset of the control block ({@link #CONTROL_LINES} lines), right after the header page. */
    public static final int CONTROL_BLOCK_OFFSET = HEADER_PAGE_LENGTH;
    /** Tail (int64 ring position): the end of what producers have claimed. */
    public static final int TAIL_OFFSET = CONTROL_BLOCK_OFFSET;
    /** The producer side's cached copy of the head (int64), on its own line. */
    public static final int HEAD_CACHE_OFFSET = TAIL_OFFSET + LINE_LENGTH;
    /** Head (int64 ring position): the end of what the consumer has consumed. */
    public static final int HEAD_OFFSET = HEAD_CACHE_OFFSET + LINE_LENGTH;

    /** MPSC: where the consumer is zeroing up to, stored before it zeroes consumed frames and moves the head. */
    public static final int RELEASE_TARGET_OFFSET = HEAD_OFFSET + Long.BYTES;

    /** The consumer's line. */
    public static final int CONSUMER_LINE_OFFSET = HEAD_OFFSET + LINE_LENGTH;
    /** The consumer's party record (io.shmring.ringbuffer.internal.PartyDescriptor). */
    public static final int CONSUMER_PARTY_OFFSET = CONSUMER_LINE_OFFSET;
    /** Recovered claims (int64): dead producers' claims the consumer turned into padding. */
    public static final int RECOVERED_CLAIMS_OFFSET = CONSUMER_PARTY_OFFSET + PartyDescriptor.LENGTH;
    /** The consumer's counters (SPSC, MPSC; docs/LAYOUT.md 2.4): messages, bytes, wake calls, 0; written by it alone. */
    public static final int CONSUMER_COUNTERS_OFFSET = RECOVERED_CLAIMS_OFFSET + Long.BYTES;

    /** The SPSC producer's line. */
    public static final int PRODUCER_LINE_OFFSET = CONSUMER_LINE_OFFSET + LINE_LENGTH;
    /** The SPSC producer's party record (io.shmring.ringbuffer.internal.PartyDescriptor). */
    public static final int PRODUCER_PARTY_OFFSET = PRODUCER_LINE_OFFSET;
    /** The SPSC or broadcast producer's counters (docs/LAYOUT.md 2.4): messages, bytes, wake calls, full-ring events. */
    public static final int PRODUCER_COUNTERS_OFFSET = PRODUCER_PARTY_OFFSET + PartyDescriptor.LENGTH;

    /** Line where a consumer waiting for data sleeps; laid out by io.shmring.sync.internal.WakeLineDescriptor. */
    public static final int NOT_EMPTY_WAKE_OFFSET = PRODUCER_LINE_OFFSET + LINE_LENGTH;
    /** Line where producers waiting for space sleep; laid out by io.shmring.sync.internal.WakeLineDescriptor. */
    public static final int NOT_FULL_WAKE_OFFSET = NOT_EMPTY_WAKE_OFFSET + LINE_LENGTH;

    /** The lifecycle line: stream word and ring state. */
    public static final int LIFECYCLE_LINE_OFFSET = NOT_FULL_WAKE_OFFSET + LINE_LENGTH;
    /** The stream word: {@code generation << 1 | ended}; see {@code StreamWord}. */
    public static final int STREAM_OFFSET = LIFECYCLE_LINE_OFFSET;
    /** The ring state: {@link #RING_LIVE}, {@link #RING_RETIRING} or {@link #RING_RETIRED}. */
    public static final int RING_STATE_OFFSET = STREAM_OFFSET + Long.BYTES;

    /** Ring state: in use; the file may be attached to. */
    public static final int RING_LIVE = 0;
    /** Ring state: a consumer is checking whether the ring is idle, to delete it; producers wait. */
    public static final int RING_RETIRING = 1;
    /** Ring state: the file was deleted (or is about to be): nobody may attach; open the path again. */
    public static final int RING_RETIRED = 2;

    /** Lines in the fixed part of the control block, reserved ones included. */
    public static final int CONTROL_LINES = 16;
    /** File offset of the producer table (MPSC). */
    public static final int PRODUCER_TABLE_OFFSET = CONTROL_BLOCK_OFFSET + CONTROL_LINES * LINE_LENGTH;
    /** Bytes of one producer table slot. */
    public static final int PRODUCER_SLOT_LENGTH = LINE_LENGTH;

    private RingDescriptor()
    {
    }

    /**
     * @param producerSlots slots in the table after the control block: the producer table of an MPSC ring, the
     *                      consumer table of a broadcast ring ({@link BroadcastDescriptor}; slots of the same size).
     * @return the data start: the first page boundary after that table.
     */
    public static int dataStart(final int producerSlots)
    {
        return BitUtil.align(PRODUCER_TABLE_OFFSET + producerSlots * PRODUCER_SLOT_LENGTH, PAGE_SIZE);
    }

    /**
     * @param capacity      data bytes.
     * @param producerSlots slots in the table after the control block (producer or consumer table).
     * @return bytes of the whole file.
     */
    public static long fileLength(final int capacity, final int producerSlots)
    {
        return (long)dataStart(producerSlots) + capacity;
    }

    /**
     * Whether a file of this length could be a ring of some capacity and table size: a tool that may not read a file
     * tells a ring it cannot open from another program's shared memory by this alone.
     *
     * @param length file length in bytes.
     * @return true if {@code length == fileLength(capacity, slots)} for a power-of-2 capacity in
     *         {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY} and a table of 0..{@link #MAX_PRODUCER_SLOTS} slots (a broadcast
     *         ring's consumer table is fewer slots than that, in the same table).
     */
    public static boolean isPossibleFileLength(final long length)
    {
        for (long capacity = MIN_CAPACITY; capacity <= MAX_CAPACITY; capacity <<= 1)
        {
            final long dataStart = length - capacity;
            if (dataStart >= dataStart(0) && dataStart <= dataStart(MAX_PRODUCER_SLOTS) && dataStart % PAGE_SIZE == 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param slot index in the producer table.
     * @return offset of that slot in the file.
     */
    public static int producerSlotOffset(final int slot)
    {
        return PRODUCER_TABLE_OFFSET + slot * PRODUCER_SLOT_LENGTH;
    }

    /**
     * @param capacity data bytes of a ring.
     * @throws IllegalArgumentException unless a power of 2 in [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}].
     */
    public static void checkCapacity(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("capacity must be a power of 2: capacity=" + capacity);
        }
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "capacity must be in " + MIN_CAPACITY + ".." + MAX_CAPACITY + ": capacity=" + capacity);
        }
    }

    /**
     * A frame of the largest message must fit in half the ring, so it always fits after the padding at
     * the wrap once the ring drains.
     *
     * @param maxMessageLength largest payload.
     * @param capacity         data bytes of the ring.
     * @throws IllegalArgumentException if negative or too large for the capacity.
     */
    public static void checkMaxMessageLength(final int maxMessageLength, final int capacity)
    {
        if (maxMessageLength < 0 || maxMessageLength > maxMessageLengthLimit(capacity))
        {
            throw new IllegalArgumentException("maxMessageLength must be in 0.." + maxMessageLengthLimit(capacity) +
                " for capacity=" + capacity + ": maxMessageLength=" + maxMessageLength);
        }
    }

    /**
     * @param capacity data bytes of the ring.
     * @return the largest maxMessageLength that capacity admits.
     */
    public static int maxMessageLengthLimit(final int capacity)
    {
        return capacity / 2 - FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * @param capacity data bytes of the ring.
     * @return the maxMessageLength used when none is given: an eighth of the capacity.
     */
    public static int defaultMaxMessageLength(final int capacity)
    {
        return capacity / 8;
    }

    /**
     * @param producerSlots slots in the producer table.
     * @throws IllegalArgumentException unless in 0..{@link #MAX_PRODUCER_SLOTS}.
     */
    public static void checkProducerSlots(final int producerSlots)
    {
        if (producerSlots < 0 || producerSlots > MAX_PRODUCER_SLOTS)
        {
            throw new IllegalArgumentException(
                "producerSlots must be in 0.." + MAX_PRODUCER_SLOTS + ": producerSlots=" + producerSlots);
        }
    }

    /**
     * @param protocol what the ring's sleepers will do before their last check.
     * @return the layout version that promises it: {@link #LAYOUT_VERSION_FENCED} or {@link #LAYOUT_VERSION_MEMBARRIER}.
     *         Never depends on whether this machine offers membarrier, so a file's bytes do not either (a process that
     *         cannot issue it still runs version 3 correctly: io.shmring.sync.Eventcount.Mode#FENCED_POLLING).
     */
    public static int layoutVersion(final WakeProtocol protocol)
    {
        return protocol == WakeProtocol.MEMBARRIER ? LAYOUT_VERSION_MEMBARRIER : LAYOUT_VERSION_FENCED;
    }

    /**
     * @param version a layout version read from a header.
     * @return the wake protocol it promises, or null if this code does not read that version.
     */
    public static WakeProtocol wakeProtocol(final int version)
    {
        switch (version)
        {
            case LAYOUT_VERSION_FENCED:
                return WakeProtocol.FENCED;
            case LAYOUT_VERSION_MEMBARRIER:
                return WakeProtocol.MEMBARRIER;
            default:
                return null;
        }
    }
}
