package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.core.Publisher;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;
import static io.shmring.ringbuffer.BroadcastDescriptor.CHECKPOINTS;
import static io.shmring.ringbuffer.BroadcastDescriptor.PRODUCER_PARTY_OFFSET;
import static io.shmring.ringbuffer.BroadcastDescriptor.TAIL_INTENT_OFFSET;
import static io.shmring.ringbuffer.BroadcastDescriptor.TAIL_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.STREAM_OFFSET;

/**
 * The one producer of a broadcast ring: every message it publishes is read by every consumer reading the ring.
 * Frames are written in place below the tail, then the tail is moved with a release store, as in an SPSC ring.
 * Not thread-safe.
 * <p>
 * <b>Lossless</b> rings: the producer writes only below the floor (the slowest reading consumer's position, cached,
 * and computed anew only when a frame does not fit) plus the capacity, so it never overwrites what a reading
 * consumer has not read. On that slow path — never per message — it judges the consumers holding it back: one that
 * is dead by the liveness rules (docs/LAYOUT.md section 6), or whose position has not moved for the ring's stall
 * timeout, is dropped by a CAS of its position, and learns so at its next poll; so one stuck process holds the
 * producer back for at most the stall timeout. The timed {@link #offer(int, DirectBuffer, int, int, long, TimeUnit)}
 * sleeps on the not-full wake line, judging again each time it wakes.
 * <p>
 * <b>Lossy</b> rings: the producer never waits. Before writing a frame it stores the tail intent (the end of that
 * frame) and fences, so a consumer that copied a frame can tell afterwards whether any of its bytes could have been
 * overwritten meanwhile; at the first frame in each sixteenth of the data region it records a checkpoint, where a
 * consumer may start reading.
 * <p>
 * Attaching records this process as the ring's producer (a second live producer is refused with
 * {@link AlreadyAttachedException}); the JVM's heartbeat timer beats for it and checks that the file is still at its
 * path, as for an SPSC producer. Every publication signals the not-empty wake line, where all consumers sleep: one
 * fence and one read while none sleeps, one wake call that reaches all of them when some do.
 */
public final class BroadcastProducer implements Publisher
{
    private static final int NO_CLAIM = -1;
    private static final String ROLE = "broadcast producer";

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final BroadcastSlots slots;
    private final ConsumerFloor consumerFloor;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    private final WakeCondition writable = this::hasSpaceForPendingFrame;
    private final boolean lossless;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    private final int segmentShift;

    private long tail;
    private long floor;
    private long intent;
    private long lastCheckpointSegment = -1;
    private int claimIndex = NO_CLAIM;
    private int claimTypeId;
    private int claimLength;
    private long claimNextTail;
    private int pendingAlignedLength;

    /**
     * A producer whose timed offer uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file a broadcast ring file.
     * @throws IllegalArgumentException  if the file is not a broadcast ring.
     * @throws AlreadyAttachedException  if another live producer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's tail, floor or tail intent is impossible (the role is released again).
     * @throws IllegalStateException     if the file is closed.
     */
    public BroadcastProducer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         a broadcast ring file.
     * @param waitStrategy how the timed offer waits for space (lossless rings); this producer's own instance.
     * @throws IllegalArgumentException  if the file is not a broadcast ring.
     * @throws AlreadyAttachedException  if another live producer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's tail, floor or tail intent is impossible (the role is released again).
     * @throws IllegalStateException     if the file is closed.
     */
    public BroadcastProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        if (file.kind() != RingKind.BROADCAST)
        {
            throw new IllegalArgumentException("BroadcastProducer needs a broadcast ring: kind=" + file.kind() + " path=" + file.path());
        }
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.segmentShift = BroadcastDescriptor.segmentShift(capacity);
        this.lossless = file.broadcastPolicy() == BroadcastPolicy.LOSSLESS;
        this.slots = new BroadcastSlots(file);
        this.wakeups = new RingWakeups(file, waitStrategy);
        file.checkOpen();
        final long ownerWord = EndLifecycle.attachExclusive(file, PRODUCER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(PRODUCER_PARTY_OFFSET), ownerWord);
        try
        {
            this.tail = control.getLongAcquire(TAIL_OFFSET); // acquire: resume after a previous producer's frames
            if (tail < 0 || (tail & (FrameDescriptor.ALIGNMENT - 1)) != 0)
            {
                throw new CorruptRingException(file.path(), "tail", -1, tail, "positions are non-negative multiples of " +
                    FrameDescriptor.ALIGNMENT);
            }
            this.consumerFloor = lossless ? new ConsumerFloor(file, slots, tail) : null;
            this.floor = lossless ? consumerFloor.recompute(tail) : 0;
            this.intent = lossless ? 0 : readIntent();
        }
        catch (final RuntimeException ex)
        {
            file.partyRecord(PRODUCER_PARTY_OFFSET).release(ownerWord);
            throw ex;
        }
        // release: a new stream, after the takeover; a consumer never takes the last producer's end for this one's
        control.putLongRelease(STREAM_OFFSET, StreamWord.next(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        this.lifecycle = EndLifecycle.start(file, PRODUCER_PARTY_OFFSET, ownerWord, ROLE, true, false, this::endStream, () -> { });
    }

    /**
     * Lossy: the tail intent an earlier producer left. One that died between storing its intent and its tail left it
     * above the tail; this producer writes on from the tail, under that intent, which never goes down.
     *
     * @return the tail intent.
     * @throws CorruptRingException if the intent is not a multiple of 8 in tail..tail + capacity.
     */
    private long readIntent()
    {
        final long intent = control.getLongVolatile(TAIL_INTENT_OFFSET); // volatile: what an earlier producer began
        if (intent - tail < 0 || intent - tail > capacity || (intent & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            throw new CorruptRingException(file.path(), "tail intent", -1, intent,
                "a multiple of " + FrameDescriptor.ALIGNMENT + " in tail..tail + capacity: tail=" + tail);
        }
        return intent;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Lossless: false while the ring holds unread bytes of its slowest reading consumer (which may be dropped here, if
     * dead or stalled past the stall timeout). Lossy: never false.
     *
     * @throws RingGoneException     if the ring file was deleted or replaced, or retired.
     * @throws IllegalStateException if this producer (or its file) is closed, or lost its role to another process.
     */
    @Override
    public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        lifecycle.checkOpen();
        checkMessage(typeId, length);
        final int frameIndex = reserve(FrameDescriptor.alignedFrameLength(length));
        if (frameIndex < 0)
        {
            return false;
        }
        data.putBytes(frameIndex + HEADER_LENGTH, src, offset, length);
        publish(frameIndex, typeId, length, claimNextTail);
        return true;
    }

    /**
     * Copy a message in, waiting by this producer's wait strategy, up to {@code timeout}, while a lossless ring is
     * full; each time the wait ends, the consumers holding the producer back are judged (and dropped if dead or
     * stalled). An interrupt ends a sleep within a slice (tens of milliseconds).
     *
     * @return true if sent, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    @Override
    public boolean offer(
        final int typeId, final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        checkMessage(typeId, length);
        pendingAlignedLength = FrameDescriptor.alignedFrameLength(length);
        return wakeups.offer(this, writable, typeId, src, offset, length, timeout, unit);
    }

    @Override
    public int tryClaim(final int typeId, final int length)
    {
        if (!lifecycle.isOpen())
        {
            return lifecycle.refusal();
        }
        checkMessage(typeId, length);
        final int frameIndex = reserve(FrameDescriptor.alignedFrameLength(length));
        if (frameIndex < 0)
        {
            return INSUFFICIENT_CAPACITY;
        }
        claimIndex = frameIndex + HEADER_LENGTH;
        claimTypeId = typeId;
        claimLength = length;
        return claimIndex;
    }

    @Override
    public void commit(final int index)
    {
        lifecycle.checkOpen();
        checkClaim(index);
        claimIndex = NO_CLAIM;
        publish(index - HEADER_LENGTH, claimTypeId, claimLength, claimNextTail);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Lossy: the tail intent already covers the claimed space, so readers treat what it overlaps as overwritten
     * (it may have been written into); the next claim reuses the space.
     */
    @Override
    public void abort(final int index)
    {
        lifecycle.checkOpen();
        checkClaim(index);
        claimIndex = NO_CLAIM;
    }

    @Override
    public UnsafeBuffer buffer()
    {
        return data;
    }

    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Drop a lossless ring's consumer now, as the stall timeout would (the operator's override): its position stops
     * holding the producer back, and its next poll reports {@link BroadcastConsumer#DROPPED}. A consumer moving at
     * the same moment may win the race: then it is not dropped.
     *
     * @param slot index in the consumer table.
     * @return true if the slot's consumer was reading and is now dropped.
     * @throws IllegalArgumentException if the slot is out of range.
     * @throws IllegalStateException    if the ring is lossy (its consumers never hold the producer back), or this
     *                                  producer is closed.
     */
    public boolean drop(final int slot)
    {
        lifecycle.checkOpen();
        if (!lossless)
        {
            throw new IllegalStateException("a lossy ring never waits for its consumers: nothing to drop: path=" + file.path());
        }
        if (slot < 0 || slot >= slots.slots())
        {
            throw new IllegalArgumentException("slot must be in 0.." + (slots.slots() - 1) + ": slot=" + slot);
        }
        return consumerFloor.drop(slot);
    }

    /**
     * @return consumers currently reading (holding a position), whatever their liveness.
     */
    public int readingConsumers()
    {
        int reading = 0;
        for (int slot = 0; slot < slots.slots(); slot++)
        {
            if (slots.position(slot) != BroadcastDescriptor.NOT_READING)
            {
                reading++;
            }
        }
        return reading;
    }

    /**
     * @return the ring file this producer writes.
     */
    public RingFile file()
    {
        return file;
    }

    /**
     * @return this producer's wait strategy, wake lines and their wait/wake counters.
     */
    public RingWakeups wakeups()
    {
        return wakeups;
    }

    /**
     * @return bytes published so far (the tail position).
     */
    public long position()
    {
        return tail;
    }

    /**
     * @return lossless: the floor last computed (the slowest reading consumer's position then); lossy: 0.
     */
    public long floor()
    {
        return floor;
    }

    /**
     * Detach: an open claim is dropped, the stream ends (each consumer sees the end once it has read everything), and
     * another producer may attach. The file stays mapped: close the {@link RingFile} separately. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    private void endStream()
    {
        // release: after the last tail store; a consumer that sees the end sees every frame
        control.putLongRelease(STREAM_OFFSET, StreamWord.ended(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        wakeups.signalNotEmpty(); // sleeping consumers wake to see the end of the stream
    }

    /**
     * Find room for a frame of {@code alignedLength} bytes at the tail, padding to the end of the ring first if the
     * frame does not fit before the wrap.
     *
     * @return the data index of the frame, or -1 if a lossless ring is too full; sets {@link #claimNextTail}.
     */
    private int reserve(final int alignedLength)
    {
        final long tail = this.tail;
        final int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = alignedLength > toEnd ? toEnd : 0;
        final long end = tail + padding + alignedLength;
        if (lossless)
        {
            if (end - floor > capacity && !makeRoom(end))
            {
                return -1;
            }
        }
        else if (end > intent)
        {
            intent = end;
            control.putLongRelease(TAIL_INTENT_OFFSET, end); // release: ordered after every earlier frame's bytes
            VarHandle.releaseFence(); // StoreStore: the intent is visible before any byte below writes into older frames
        }
        if (padding != 0)
        {
            writePadding(index, padding);
        }
        claimNextTail = end;
        return padding != 0 ? 0 : index;
    }

    /**
     * Lossless slow path: compute the floor anew; if the frame still does not fit, judge the consumers holding it
     * back (dropping the dead and the stalled) and compute it once more.
     */
    private boolean makeRoom(final long end)
    {
        floor = consumerFloor.recompute(tail);
        if (end - floor <= capacity)
        {
            return true;
        }
        if (consumerFloor.dropStalled(end, System.nanoTime() / 1_000_000))
        {
            floor = consumerFloor.recompute(tail);
        }
        return end - floor <= capacity;
    }

    private void writePadding(final int index, final int length)
    {
        data.putInt(index + TYPE_ID_OFFSET, PADDING_TYPE_ID);
        data.putInt(index + LENGTH_OFFSET, length);
    }

    private void publish(final int frameIndex, final int typeId, final int length, final long nextTail)
    {
        data.putInt(frameIndex + TYPE_ID_OFFSET, typeId);
        data.putInt(frameIndex + LENGTH_OFFSET, FrameDescriptor.frameLength(length));
        tail = nextTail;
        control.putLongRelease(TAIL_OFFSET, nextTail); // release: frame bytes are visible before a consumer sees the tail
        if (!lossless)
        {
            checkpoint(nextTail - FrameDescriptor.alignedFrameLength(length));
        }
        wakeups.signalNotEmpty(); // full fence after the tail store, then the waiter count: one wake call reaches every sleeper
    }

    /**
     * Record the first frame published in each segment (a sixteenth of the data region) of each lap: one store per
     * segment crossed, not per message. Stored after the tail, so a reader that sees the checkpoint sees a tail past it.
     */
    private void checkpoint(final long frameStart)
    {
        final long segment = frameStart >>> segmentShift;
        if (segment != lastCheckpointSegment)
        {
            lastCheckpointSegment = segment;
            control.putLongRelease(BroadcastDescriptor.checkpointOffset((int)segment & (CHECKPOINTS - 1)), frameStart); // release: after the tail
        }
    }

    /**
     * The timed offer's wait condition: room for a frame of {@link #pendingAlignedLength} (the slow path, judging the
     * consumers holding the producer back).
     */
    private boolean hasSpaceForPendingFrame()
    {
        if (!lossless)
        {
            return true;
        }
        final int toEnd = capacity - ((int)tail & mask);
        final int padding = pendingAlignedLength > toEnd ? toEnd : 0;
        return makeRoom(tail + padding + pendingAlignedLength);
    }

    private void checkMessage(final int typeId, final int length)
    {
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("a claim is open, commit or abort it first: index=" + claimIndex);
        }
        FrameDescriptor.checkTypeId(typeId);
        FrameDescriptor.checkMessageLength(length, maxMessageLength);
    }

    private void checkClaim(final int index)
    {
        if (claimIndex == NO_CLAIM)
        {
            throw new IllegalStateException("no open claim (already committed or aborted?): index=" + index);
        }
        if (index != claimIndex)
        {
            throw new IllegalStateException("index does not match the open claim: index=" + index + " claim=" + claimIndex);
        }
    }
}
