package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
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
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.FLOOR_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.NOT_READING;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_INTENT_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;

/**
 * One of the consumers of a broadcast ring: it reads every message the producer publishes after it joined, in order,
 * independently of the other consumers (docs/LAYOUT.md section 7). Joining takes a free slot of the consumer table (or
 * one whose holder is dead) and starts at the tail; closing leaves and frees the slot. Not thread-safe: one thread
 * polls; the counters may be read by any.
 * <p>
 * <b>Lossless rings</b>: the handler sees ring memory (zero copy). The consumer's position in its slot protects every
 * byte it has not read: the producer never overwrites it. The producer drops a consumer that is dead or has not moved
 * for the ring's stall timeout while holding it back; the consumer finds out at once, because it checks after every
 * handler call (a fence and a read of its own slot, no shared line) that it still holds its position. A poll that
 * finds it returns {@link #DROPPED}; the message handled last in that poll was being read when the drop happened and
 * may have been overwritten under the handler, so it must not be trusted. Every later call throws
 * {@link ConsumerDroppedException} until {@link #rejoin()}.
 * <p>
 * <b>Lossy rings: copy first, then validate, then deliver.</b> The producer never waits, so any frame may be
 * overwritten while it is read. The consumer copies each payload into its own buffer (at most the ring's max message
 * length, allocated once), then checks the tail intent: if the producer may have begun writing over the frame, the
 * copy is thrown away and the consumer reports a lap. The handler gets the copy. Why not validate after reading in
 * place: a handler that has already acted on a torn message (sent an order, updated a book) cannot be told afterwards
 * that it was torn, and the issue forbids delivering one; the copy costs one memcpy of a payload that the handler was
 * going to read anyway, into a buffer that stays in this core's cache. A lapped consumer (one the producer overtook)
 * learns how many bytes it lost through its {@link LapListener} before the next message is delivered, counts the lap
 * in its slot, and resynchronises at the tail, a frame boundary; it never delivers a torn or overwritten message.
 * <p>
 * <b>Waiting</b>: {@link #take} sleeps on the ring's not-empty wake line, shared by every consumer; one wake call of
 * the producer reaches them all (futex: one {@code FUTEX_WAKE} of every sleeper; semaphore: one post per registered
 * sleeper), and while none sleeps a publication costs the producer a fence and one read. A lossless consumer signals
 * the not-full line after each move of its position (the producer may be waiting for it); a lossy one never does.
 */
public final class BroadcastConsumer implements Subscriber
{
    /** What {@link #poll} and {@link #controlledPoll} return once when a lossless consumer finds it was dropped. */
    public static final int DROPPED = -4;

    /** Tries to join a lossless ring before giving up; each failure needs the producer to raise the floor meanwhile. */
    static final int JOIN_ATTEMPTS = 1000;

    private static final String ROLE = "broadcast consumer";
    private static final int READING = 0;
    private static final int DROP_UNREPORTED = 1;
    private static final int DROP_REPORTED = 2;

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final UnsafeBuffer copy;
    private final BroadcastSlots slots;
    private final int slot;
    private final int positionOffset;
    /** This process's owner word in the slot's party record. */
    private final long ownerWord;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    private final LapListener lapListener;
    private final WakeCondition readable = this::isReadableOrEnded;
    private final boolean lossless;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    /** The stream word if, when this consumer joined, that stream had ended with nothing left to read; else -1. */
    private final long staleEnd;

    private long position;
    /** Lossless: the position last stored in the slot; the producer protects everything from it on. */
    private long published;
    private long tailCache;
    private int dropState = READING;
    private long delivered;
    private long deliveredBytes;
    private long laps;
    private long lostBytes;

    /**
     * A consumer that joins at the tail, ignores laps (they are still counted) and whose {@link #take} uses
     * {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file a broadcast ring file.
     * @throws IncompatibleRingException if the file is not a broadcast ring (field {@code kind}).
     * @throws TableFullException      if every consumer slot is held by a live process.
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws RingGoneException        if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException     if the ring's tail, tail intent or floor is impossible (the slot is freed again).
     */
    public BroadcastConsumer(final RingFile file)
    {
        this(file, BroadcastStart.TAIL, null, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         a broadcast ring file.
     * @param start        where to start reading: the tail, or (lossy rings only) the oldest checkpoint still intact.
     * @param lapListener  told of each lap of a lossy consumer, before the next message; null to only count them.
     * @param waitStrategy how {@link #take} waits; this consumer's own instance.
     * @throws IncompatibleRingException if the file is not a broadcast ring (field {@code kind}).
     * @throws IllegalArgumentException  if {@code start} is OLDEST on a lossless ring.
     * @throws TableFullException      if every consumer slot is held by a live process.
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws RingGoneException        if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException     if the ring's tail, tail intent or floor is impossible (the slot is freed again).
     */
    public BroadcastConsumer(
        final RingFile file, final BroadcastStart start, final LapListener lapListener, final WaitStrategy waitStrategy)
    {
        file.requireKind(RingKind.BROADCAST, "BroadcastConsumer");
        this.lossless = file.broadcastPolicy() == BroadcastPolicy.LOSSLESS;
        if (lossless && start == BroadcastStart.OLDEST)
        {
            throw new IllegalArgumentException("a lossless consumer joins at the tail (older bytes are not protected): start=" +
                start + " path=" + file.path());
        }
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.copy = lossless ? null : new UnsafeBuffer(new byte[Math.max(FrameDescriptor.ALIGNMENT, maxMessageLength)]);
        this.lapListener = lapListener;
        this.slots = new BroadcastSlots(file);
        this.wakeups = new RingWakeups(file, waitStrategy);
        file.checkAttachable();
        final EndLifecycle.Attachment attachment = slots.attach();
        this.slot = attachment.slot();
        this.positionOffset = BroadcastSlots.positionOffset(slot);
        this.ownerWord = attachment.ownerWord();
        final int partyOffset = BroadcastSlots.partyOffset(slot);
        EndLifecycle.awaitLive(file, slots.record(slot), attachment.ownerWord());
        try
        {
            join(start);
        }
        catch (final RuntimeException ex)
        {
            leave();
            slots.record(slot).release(attachment.ownerWord());
            throw ex;
        }
        final long stream = control.getLongAcquire(STREAM_OFFSET); // acquire: the stream's end follows its last tail
        this.staleEnd = StreamWord.isEnded(stream) && position == control.getLongAcquire(TAIL_OFFSET) ? stream : -1; // acquire: as above
        try
        {
            this.lifecycle = EndLifecycle.start(file, partyOffset, attachment.ownerWord(), ROLE, false, false, this::leave, () -> { });
        }
        catch (final RuntimeException ex)
        {
            leave();
            throw ex;
        }
    }

    /**
     * Deliver up to {@code limit} messages. Lossless: the handler reads ring memory, valid only during the call.
     * Lossy: the handler reads this consumer's copy, valid only during the call; a lap is reported to the
     * {@link LapListener} first.
     *
     * @return messages delivered; {@link #DROPPED} once when a lossless consumer finds it was dropped.
     * @throws ConsumerDroppedException if a lossless consumer was dropped and already told so, until {@link #rejoin()}.
     * @throws CorruptRingException     if a frame breaks the layout's rules (every valid frame before it is delivered).
     * @throws io.shmring.core.ClosedException if the consumer (or its file) is closed.
     * @throws RoleLostException        if another process judged this one dead (e.g. stopped past the staleness period)
     *                                  and took its slot over: checked before each batch and each position store, so it
     *                                  delivers nothing after it finds out.
     * @throws RingGoneException        once the ring file was deleted or replaced at its path and everything it held
     *                                  was delivered (docs/LAYOUT.md section 2.3): open the path anew.
     */
    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        if (!checkReading())
        {
            return DROPPED;
        }
        return lossless ? pollInPlace(handler, null, limit) : pollCopies(handler, null, limit);
    }

    /**
     * As {@link #poll}, with the handler deciding after each message: ABORT leaves it to be delivered again, BREAK
     * stops after it, COMMIT publishes the position at once (lossless: frees the space for the producer).
     *
     * @return messages consumed; {@link #DROPPED} once when a lossless consumer finds it was dropped.
     * @throws ConsumerDroppedException as {@link #poll}.
     * @throws CorruptRingException     as {@link #poll}.
     * @throws io.shmring.core.ClosedException as {@link #poll}.
     * @throws RoleLostException        as {@link #poll}.
     * @throws RingGoneException        as {@link #poll}.
     */
    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        if (!checkReading())
        {
            return DROPPED;
        }
        return lossless ? pollInPlace(null, handler, limit) : pollCopies(null, handler, limit);
    }

    /**
     * Deliver at least one message, waiting by this consumer's wait strategy, up to {@code timeout}, for one to be
     * published. An interrupt ends a sleep within a slice (20 ms with the default waits; 100 ms once
     * the end is idle: its waits timed out back to back for a second, or one wait has slept a second).
     *
     * @return messages delivered; 0 if the timeout passed or the producer closed and all was read; {@link #DROPPED}
     *         once when a lossless consumer finds it was dropped.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws ConsumerDroppedException as {@link #poll}.
     */
    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.take(this, readable, handler, limit, timeout, unit);
    }

    /**
     * After a lossless consumer was dropped: join again at the tail, in the same slot. Messages published between the
     * drop and now are not delivered.
     *
     * @throws IllegalStateException   if the consumer was not dropped (it reads), or the producer raised the floor past
     *                                 it at each of its join attempts (try again).
     * @throws io.shmring.core.ClosedException if the consumer (or its file) is closed.
     * @throws RoleLostException       if another process took its slot over.
     * @throws RingGoneException       if the ring file was deleted or replaced at its path.
     * @throws CorruptRingException    if the ring's tail or floor is impossible.
     */
    public void rejoin()
    {
        lifecycle.checkOpen();
        lifecycle.checkHoldsRole(); // the slot is another consumer's now: never write its position
        if (dropState == READING)
        {
            throw new IllegalStateException("rejoin() is for a dropped consumer; this one reads: slot=" + slot + " path=" + file.path());
        }
        join(BroadcastStart.TAIL);
    }

    /**
     * @return true once a lossless consumer has found it was dropped, until {@link #rejoin()}.
     */
    public boolean isDropped()
    {
        return dropState != READING;
    }

    /**
     * @return true if the producer closed the ring (ending its stream), no producer is attached since, and this
     *         consumer has read everything published. An end found at joining with nothing left to read belongs to an
     *         earlier stream and is not reported.
     */
    @Override
    public boolean isEndOfStream()
    {
        final long stream = control.getLongAcquire(STREAM_OFFSET); // acquire: the end follows the last tail
        return dropState == READING && StreamWord.isEnded(stream) && stream != staleEnd &&
            position == control.getLongAcquire(TAIL_OFFSET) && !file.hasAttachedProducerPid(); // acquire: frames below are whole
    }

    /**
     * @return index of this consumer's slot in the consumer table.
     */
    public int slot()
    {
        return slot;
    }

    /**
     * @return the next byte this consumer reads (a position, as the tail).
     */
    public long position()
    {
        return position;
    }

    /**
     * @return messages delivered since joining.
     */
    public long delivered()
    {
        return delivered;
    }

    /**
     * @return payload bytes of the messages delivered since joining.
     */
    public long deliveredBytes()
    {
        return deliveredBytes;
    }

    /**
     * @return lossy: times the producer lapped this consumer since it joined; lossless: 0.
     */
    public long laps()
    {
        return laps;
    }

    /**
     * @return lossy: bytes those laps skipped (frames, headers and padding); lossless: 0.
     */
    public long lostBytes()
    {
        return lostBytes;
    }

    /**
     * @return the ring file this consumer reads.
     */
    public RingFile file()
    {
        return file;
    }

    /**
     * @return this consumer's wait strategy, wake lines and their wait/wake counters.
     */
    public RingWakeups wakeups()
    {
        return wakeups;
    }

    /**
     * Leave: the slot stops holding a lossless producer back and is freed for another consumer. The file stays mapped:
     * close the {@link RingFile} separately. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    /**
     * Join at {@code start}: publish a position, reset the counters.
     */
    private void join(final BroadcastStart start)
    {
        final long tail = readTail();
        final long at;
        if (lossless)
        {
            at = joinProtected(tail);
        }
        else
        {
            at = start == BroadcastStart.OLDEST ? oldestIntact(tail) : tail;
            control.putLongRelease(positionOffset, at); // release: a position for monitoring; the producer never reads it
        }
        position = at;
        published = at;
        tailCache = at;
        delivered = 0;
        deliveredBytes = 0;
        laps = 0;
        lostBytes = 0;
        slots.storeCounters(slot, 0, 0, 0, 0);
        dropState = READING;
    }

    /**
     * Lossless join (docs/LAYOUT.md section 7.3): store the tail as this slot's position, fence, read the floor. A
     * floor at or below the position means the producer will see the position before it writes past it (the Dekker
     * pair with {@link ConsumerFloor#recompute}); a floor above it means the producer may already write over it: try
     * again from the newer tail.
     *
     * @return the position joined at.
     */
    private long joinProtected(final long firstTail)
    {
        long tail = firstTail;
        long current = slots.position(slot); // whatever the slot's previous holder left
        for (int attempt = 0; attempt < JOIN_ATTEMPTS; attempt++)
        {
            if (!slots.casPosition(slot, current, tail))
            {
                current = slots.position(slot); // the producer dropped the previous holder meanwhile
                continue;
            }
            current = tail;
            VarHandle.fullFence(); // StoreLoad: our position is visible before we read the floor (Dekker pair with the producer)
            final long floor = control.getLongVolatile(FLOOR_OFFSET); // volatile: the floor the producer stored last
            if (floor <= tail)
            {
                return tail;
            }
            final long newer = readTail();
            if (floor > newer)
            {
                throw new CorruptRingException(file.path(), "floor", -1, floor, "the floor never passes the tail=" + newer);
            }
            tail = newer;
        }
        throw new IllegalStateException("could not join: the producer raised the floor past this consumer's position " +
            JOIN_ATTEMPTS + " times in a row: slot=" + slot + " path=" + file.path());
    }

    /**
     * Lossy: the oldest checkpoint (a frame start the producer recorded) that the producer has not begun to overwrite,
     * or the tail if there is none.
     */
    private long oldestIntact(final long tail)
    {
        return BroadcastChecks.oldestCheckpoint(file, tail, readIntent(tail));
    }

    /**
     * @return true if the consumer reads; false if it has just learnt (and now reports) that it was dropped.
     * @throws ConsumerDroppedException if the drop was reported already.
     */
    private boolean checkReading()
    {
        if (!lifecycle.isOpen())
        {
            lifecycle.checkOpen();
        }
        if (dropState == READING)
        {
            return true;
        }
        if (dropState == DROP_UNREPORTED)
        {
            dropState = DROP_REPORTED;
            return false;
        }
        throw new ConsumerDroppedException(file.path(), slot, position);
    }

    /**
     * Lossless: deliver in place; after each handler call make sure the producer has not dropped this consumer (it
     * overwrites only after the drop), so a message that returns normally was intact throughout its handler.
     */
    private int pollInPlace(final MessageHandler handler, final ControlledMessageHandler controlled, final int limit)
    {
        final long tail = availableTail();
        if (tail < 0)
        {
            return reportDrop();
        }
        if (position == tail)
        {
            return emptyPoll();
        }
        lifecycle.checkHoldsRole(); // taken over while stopped: deliver nothing more from the successor's slot
        if (control.getLongAcquire(positionOffset) != published) // acquire: the frame reads come after this check
        {
            return reportDrop(); // dropped while away: say so before delivering another message
        }
        long next = position;
        int consumed = 0;
        try
        {
            while (consumed < limit && next < tail)
            {
                final int index = (int)next & mask;
                final int frameLength = data.getInt(index + LENGTH_OFFSET); // plain: ordered by the acquire of the tail
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                final int alignedLength = checkedAlignedLength(next, index, tail, frameLength, typeId);
                if (alignedLength < 0)
                {
                    return reportDrop(); // the producer overwrote what looked corrupt: we had been dropped
                }
                if (typeId == PADDING_TYPE_ID)
                {
                    next += alignedLength;
                    continue;
                }
                if (handler != null)
                {
                    next += alignedLength;
                    consumed++;
                    delivered++;
                    deliveredBytes += frameLength - HEADER_LENGTH;
                    handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                }
                else
                {
                    final ControlledMessageHandler.Action action =
                        controlled.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                    if (action == ControlledMessageHandler.Action.ABORT)
                    {
                        break;
                    }
                    next += alignedLength;
                    consumed++;
                    delivered++;
                    deliveredBytes += frameLength - HEADER_LENGTH;
                    if (action == ControlledMessageHandler.Action.BREAK)
                    {
                        break;
                    }
                    if (action == ControlledMessageHandler.Action.COMMIT && !publish(next))
                    {
                        return reportDrop();
                    }
                }
                VarHandle.acquireFence(); // LoadLoad: the handler's reads of the frame come before the check of our slot
                if (control.getLong(positionOffset) != published) // plain after the fence: our own line, written by the producer only to drop us
                {
                    return reportDrop();
                }
            }
        }
        finally
        {
            if (dropState == READING && !publish(next))
            {
                dropState = DROP_UNREPORTED; // found while a handler's exception propagates: the next call reports it
            }
        }
        return dropState == READING ? consumed : reportDrop();
    }

    /**
     * Lossy: copy each payload, check the tail intent, then deliver the copy; resynchronise at the tail after a lap.
     */
    private int pollCopies(final MessageHandler handler, final ControlledMessageHandler controlled, final int limit)
    {
        long tail = availableTail();
        if (position == tail)
        {
            return emptyPoll();
        }
        lifecycle.checkHoldsRole(); // taken over while stopped: deliver nothing more from the successor's slot
        long next = position;
        int consumed = 0;
        try
        {
            while (consumed < limit && next < tail)
            {
                final int index = (int)next & mask;
                final int frameLength = data.getInt(index + LENGTH_OFFSET); // plain: ordered by the acquire of the tail
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                final int alignedLength = checkedAlignedLength(next, index, tail, frameLength, typeId);
                int payloadLength = 0;
                if (alignedLength >= 0 && typeId != PADDING_TYPE_ID)
                {
                    payloadLength = frameLength - HEADER_LENGTH;
                    copy.putBytes(0, data, index + HEADER_LENGTH, payloadLength);
                }
                VarHandle.acquireFence(); // LoadLoad: the header and the copy were read before the tail intent
                final long intent = control.getLong(TAIL_INTENT_OFFSET); // plain after the fence: stored before any byte over the frame
                if (intent - next > capacity)
                {
                    next = lap(next);
                    tail = tailCache;
                    continue;
                }
                if (alignedLength < 0)
                {
                    throw corruptFrame(next, tail, frameLength, typeId); // intact, yet broken: the ring is corrupt
                }
                next += alignedLength;
                if (typeId == PADDING_TYPE_ID)
                {
                    continue;
                }
                if (handler != null)
                {
                    consumed++;
                    delivered++;
                    deliveredBytes += payloadLength;
                    handler.onMessage(typeId, copy, 0, payloadLength);
                }
                else
                {
                    final ControlledMessageHandler.Action action = controlled.onMessage(typeId, copy, 0, payloadLength);
                    if (action == ControlledMessageHandler.Action.ABORT)
                    {
                        next -= alignedLength;
                        break;
                    }
                    consumed++;
                    delivered++;
                    deliveredBytes += payloadLength;
                    if (action == ControlledMessageHandler.Action.BREAK)
                    {
                        break;
                    }
                    if (action == ControlledMessageHandler.Action.COMMIT)
                    {
                        publish(next);
                    }
                }
            }
        }
        finally
        {
            publish(next);
        }
        return consumed;
    }

    /**
     * Lossy: the producer overtook this consumer at {@code from}. Count the lap, tell the listener, go on at the tail.
     *
     * @return the new position.
     */
    private long lap(final long from)
    {
        lifecycle.checkHoldsRole(); // the slot's counters are the successor's once it was taken over
        final long tail = readTail();
        final long lost = tail - from;
        laps++;
        lostBytes += lost;
        tailCache = tail;
        position = tail;
        slots.storeCounters(slot, delivered, deliveredBytes, laps, lostBytes);
        if (lapListener != null)
        {
            lapListener.onLap(lost);
        }
        return tail;
    }

    /**
     * Store the position this consumer reached. Lossless: a CAS from the position published last, which fails only if
     * the producer dropped this consumer; then the not-full line is signalled.
     *
     * @return false if the consumer was dropped.
     */
    private boolean publish(final long next)
    {
        if (next == published)
        {
            position = next;
            return true;
        }
        lifecycle.checkHoldsRole(); // the position is the successor's once the slot was taken over: never move it
        if (lossless)
        {
            // CAS: release of our reads of the frames, and exclusion of the producer's drop of the same position
            if (!slots.casPosition(slot, published, next))
            {
                return false;
            }
            published = next;
            position = next;
            slots.storeDelivered(slot, delivered, deliveredBytes);
            wakeups.signalNotFull(); // after the position's CAS (a full barrier itself), the waiter count: wakes a producer waiting for space
            return true;
        }
        published = next;
        position = next;
        control.putLongRelease(positionOffset, next); // release: for monitoring only; the producer never waits for it
        slots.storeDelivered(slot, delivered, deliveredBytes);
        return true;
    }

    /**
     * @return 0: nothing to deliver.
     * @throws RingGoneException if the ring file is gone and everything it held was delivered.
     */
    private int emptyPoll()
    {
        if (lifecycle.isRingGoneSettled() && position == readTail()) // the tail again: a frame published meanwhile comes first
        {
            throw lifecycle.ringGoneDrained();
        }
        return 0;
    }

    private int reportDrop()
    {
        dropState = DROP_REPORTED;
        return DROPPED;
    }

    /**
     * The tail this consumer may read up to, read again only when everything below the cached one is read.
     *
     * @return the tail; lossless: -1 if this consumer was dropped (the producer went more than a ring past it).
     */
    private long availableTail()
    {
        if (position != tailCache)
        {
            return tailCache;
        }
        final long tail = readTail();
        if (tail - position < 0 || tail - position > capacity)
        {
            if (lossless)
            {
                if (control.getLongVolatile(positionOffset) != published) // volatile: the producer's drop
                {
                    return -1;
                }
                throw RingFrames.checkPositions(file, position, tail);
            }
            if (tail - position < 0)
            {
                throw new CorruptRingException(file.path(), "tail", -1, tail, "the tail never goes down: position=" + position);
            }
            tailCache = tail;
            return lap(position);
        }
        tailCache = tail;
        return tail;
    }

    private long readTail()
    {
        final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: pairs with the producer's release; frames below are whole
        if (tail < 0 || (tail & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            throw BroadcastChecks.checkTail(file, tail);
        }
        return tail;
    }

    private long readIntent(final long tail)
    {
        final long intent = control.getLongAcquire(TAIL_INTENT_OFFSET); // acquire: read after the tail, so never below it
        final CorruptRingException corrupt = BroadcastChecks.checkIntent(file, intent, tail);
        if (corrupt != null)
        {
            throw corrupt;
        }
        return intent;
    }

    /**
     * A frame's rules (docs/LAYOUT.md sections 5.9 and 7): padding fills the data region to its end exactly; any other
     * frame has type id {@code >= 0}, {@code 8 <= length <= 8 + max message length}, and stays within the tail and the
     * data region.
     *
     * @return its aligned length; -1 if it breaks a rule (lossy: perhaps overwritten; lossless: perhaps dropped).
     * @throws CorruptRingException lossless: if it breaks a rule while this consumer still holds its position.
     */
    private int checkedAlignedLength(final long position, final int index, final long tail, final int frameLength, final int typeId)
    {
        final int alignedLength;
        if (typeId == PADDING_TYPE_ID)
        {
            alignedLength = frameLength == capacity - index ? frameLength : -1;
        }
        else if (typeId < 0 || !FrameDescriptor.isValidFrameLength(frameLength, maxMessageLength))
        {
            alignedLength = -1;
        }
        else
        {
            final int aligned = (frameLength + FrameDescriptor.ALIGNMENT - 1) & -FrameDescriptor.ALIGNMENT; // <= capacity/2
            alignedLength = index + aligned > capacity ? -1 : aligned;
        }
        if (alignedLength >= 0 && position + alignedLength <= tail)
        {
            return alignedLength;
        }
        if (lossless && control.getLongVolatile(positionOffset) == published) // volatile: dropped, or is the ring broken?
        {
            throw corruptFrame(position, tail, frameLength, typeId);
        }
        return -1;
    }

    private CorruptRingException corruptFrame(final long position, final long tail, final int frameLength, final int typeId)
    {
        final CorruptRingException corrupt = RingFrames.checkFrame(file, position, tail, frameLength, typeId);
        return corrupt != null ? corrupt : new CorruptRingException(file.path(), "frame length", position, frameLength,
            "frame rejected with typeId=" + typeId + " tail=" + tail);
    }

    private boolean isReadableOrEnded()
    {
        if (!lifecycle.isOpen())
        {
            return true; // closed (perhaps by another thread) or the slot lost: the wait ends, and the poll after it throws
        }
        // the producer's positions as they are now, each time the condition is evaluated (a few loads): a tail or tail
        // intent broken while this consumer waits would otherwise look like a ring with nothing to read until the timeout
        final CorruptRingException corrupt = BroadcastChecks.checkWhileWaiting(file);
        if (corrupt != null)
        {
            throw lifecycle.corruptUnlessRoleLost(corrupt);
        }
        return dropState != READING || position != control.getLongAcquire(TAIL_OFFSET) || // acquire: as the poll
            isEndOfStream() || lifecycle.isRingGoneSettled();
    }

    /**
     * Stop holding a position (the first step of leaving; releasing the slot's party record is the second). Lossless:
     * a CAS, which fails harmlessly if the producer dropped this consumer first.
     */
    private void leave()
    {
        if (!slots.record(slot).isHeldBy(ownerWord))
        {
            return; // taken over: the position is the successor's
        }
        if (lossless)
        {
            slots.casPosition(slot, published, NOT_READING); // CAS: the producer may be dropping us at the same moment
            wakeups.signalNotFull(); // the producer may be waiting for this consumer
        }
        else
        {
            control.putLongRelease(positionOffset, NOT_READING); // release: monitoring only
        }
    }
}
