package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.FrameDescriptor;
import io.shmring.sync.WaitStrategy;

import java.lang.invoke.VarHandle;

import static io.shmring.ringbuffer.internal.BroadcastDescriptor.CHECKPOINTS;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.PRODUCER_PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_INTENT_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;

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
 * producer back for at most the stall timeout. The timed {@link #offer(int, org.agrona.DirectBuffer, int, int, long, java.util.concurrent.TimeUnit)}
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
public final class BroadcastProducer extends TailProducer
{
    private static final String ROLE = "broadcast producer";

    private final BroadcastSlots slots;
    private final ConsumerFloor consumerFloor;
    private final boolean lossless;
    private final int segmentShift;

    private long floor;
    private long intent;
    private long lastCheckpointSegment = -1;

    /**
     * A producer whose timed offer uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file a broadcast ring file.
     * @throws IncompatibleRingException if the file is not a broadcast ring (field {@code kind}).
     * @throws AlreadyAttachedException  if another live producer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's tail, floor or tail intent is impossible, or the tail is not the
     *                                   boundary reached by walking the frames from the floor or oldest checkpoint (the
     *                                   role is released again; nothing is written).
     * @throws io.shmring.core.ClosedException if the file is closed.
     */
    public BroadcastProducer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         a broadcast ring file.
     * @param waitStrategy how the timed offer waits for space (lossless rings); this producer's own instance.
     * @throws IncompatibleRingException if the file is not a broadcast ring (field {@code kind}).
     * @throws AlreadyAttachedException  if another live producer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's tail, floor or tail intent is impossible, or the tail is not the
     *                                   boundary reached by walking the frames from the floor or oldest checkpoint (the
     *                                   role is released again; nothing is written).
     * @throws io.shmring.core.ClosedException if the file is closed.
     */
    public BroadcastProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        super(file.requireKind(RingKind.BROADCAST, "BroadcastProducer"), waitStrategy);
        this.segmentShift = BroadcastDescriptor.segmentShift(capacity);
        this.lossless = file.broadcastPolicy() == BroadcastPolicy.LOSSLESS;
        this.slots = new BroadcastSlots(file);
        file.checkAttachable();
        final long ownerWord = EndLifecycle.attachExclusive(file, PRODUCER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(PRODUCER_PARTY_OFFSET), ownerWord);
        try
        {
            this.tail = control.getLongAcquire(TAIL_OFFSET); // acquire: resume after a previous producer's frames
            final CorruptRingException badTail = BroadcastChecks.checkTail(file, tail);
            if (badTail != null)
            {
                throw badTail;
            }
            // a tail inside a frame passes the range checks; the first frame written there would damage that frame (walked
            // from the floor as the last producer left it: this one's first computation of the floor raises it to the tail)
            final CorruptRingException unreachable = RingWalk.checkTailReachable(file);
            if (unreachable != null)
            {
                throw unreachable;
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
        holdCounters();
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
        final CorruptRingException corrupt = BroadcastChecks.checkIntent(file, intent, tail);
        if (corrupt != null)
        {
            throw corrupt;
        }
        return intent;
    }

    /**
     * Lossless: below the floor last computed plus the capacity, else the slow path ({@link #makeRoom}). Lossy: always;
     * the tail intent is raised first, so a reader can tell afterwards whether a byte it read may have been overwritten.
     * <p>
     * {@inheritDoc}
     */
    @Override
    boolean hasRoom(final long end)
    {
        if (lossless)
        {
            return end - floor <= capacity || makeRoom(end);
        }
        if (end > intent)
        {
            intent = end;
            control.putLongRelease(TAIL_INTENT_OFFSET, end); // release: ordered after every earlier frame's bytes
            VarHandle.releaseFence(); // StoreStore: the intent is visible before any byte below it overwrites older frames
        }
        return true;
    }

    @Override
    boolean hasRoomNow(final long end)
    {
        return !lossless || makeRoom(end);
    }

    /**
     * Lossy: record the first frame published in each segment (a sixteenth of the data region) of each lap: one store
     * per segment crossed, not per message. Stored after the tail, so a reader that sees the checkpoint sees a tail
     * past it.
     */
    @Override
    void afterPublish(final long frameStart)
    {
        if (lossless)
        {
            return;
        }
        final long segment = frameStart >>> segmentShift;
        if (segment != lastCheckpointSegment)
        {
            lastCheckpointSegment = segment;
            control.putLongRelease(BroadcastDescriptor.checkpointOffset((int)segment & (CHECKPOINTS - 1)), frameStart); // release: after the tail
        }
    }

    /**
     * Drop a lossless ring's consumer now, as the stall timeout would (the operator's override): its position stops
     * holding the producer back, and its next poll reports {@link BroadcastConsumer#DROPPED}. A consumer moving at
     * the same moment may win the race: then it is not dropped.
     *
     * @param slot index in the consumer table.
     * @return true if the slot's consumer was reading and is now dropped.
     * @throws IllegalArgumentException if the slot is out of range.
     * @throws IllegalStateException    if the ring is lossy (its consumers never hold the producer back).
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     * @throws RingGoneException        if the ring file was deleted or replaced, or retired.
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
     * @return lossless: the floor last computed (the slowest reading consumer's position then); lossy: 0.
     */
    public long floor()
    {
        return floor;
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
}
