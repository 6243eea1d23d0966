package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.CONSUMER_PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.TAIL_OFFSET;

/**
 * The one consumer of an SPSC ring. Reads every frame below the tail in place, then moves the head
 * with a release store so the producer reuses the space only after the reads. Not thread-safe.
 * <p>
 * The tail is read once per batch (acquire) and cached, so a busy consumer touches the producer's
 * cache line once per batch, not once per message.
 * <p>
 * {@link #take} blocks by the consumer's {@link WaitStrategy}: by default it spins, yields, then sleeps
 * on the ring's not-empty wake line until a producer publishes (futex or semaphore, as the file says).
 * Each move of the head signals the not-full line, which costs a fence and a read unless a producer sleeps.
 */
public final class SpscConsumer implements Subscriber
{
    private static final String ROLE = "consumer";

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    /** This consumer's counters in the file (docs/LAYOUT.md 2.4), written once per poll batch. */
    private final EndCounters counters;
    private final WakeCondition readable = this::isReadableOrClosed;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;

    private long head;
    private long tailCache;
    /** The stream word if, when this consumer attached, that stream had ended with nothing left to read; else -1. */
    private final long staleEnd;

    /**
     * A consumer whose {@link #take} uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an SPSC ring file.
     * @throws IncompatibleRingException if the file is not SPSC (field {@code kind}).
     * @throws AlreadyAttachedException if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public SpscConsumer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an SPSC ring file.
     * @param waitStrategy how {@link #take} waits; this consumer's own instance.
     * @throws IncompatibleRingException if the file is not SPSC (field {@code kind}).
     * @throws AlreadyAttachedException if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public SpscConsumer(final RingFile file, final WaitStrategy waitStrategy)
    {
        file.requireKind(RingKind.SPSC, "SpscConsumer");
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.wakeups = new RingWakeups(file, waitStrategy);
        file.checkAttachable();
        final long ownerWord = EndLifecycle.attachExclusive(file, CONSUMER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(CONSUMER_PARTY_OFFSET), ownerWord);
        this.head = control.getLongAcquire(HEAD_OFFSET); // acquire: resume where a previous consumer stopped
        // acquire: frames below it are whole; no other consumer moves the head, so the pair must be possible
        EndLifecycle.refuseIfCorrupt(file, CONSUMER_PARTY_OFFSET, ownerWord,
            RingFrames.checkPositions(file, head, control.getLongAcquire(TAIL_OFFSET)));
        this.tailCache = head;
        final long stream = control.getLongAcquire(STREAM_OFFSET); // acquire: the stream's end follows its last tail
        this.staleEnd = StreamWord.isEnded(stream) && head == control.getLongAcquire(TAIL_OFFSET) ? stream : -1; // acquire: as above
        this.counters = new EndCounters(control, RingDescriptor.CONSUMER_COUNTERS_OFFSET); // ours now: the role is held
        wakeups.countInto(counters);
        this.lifecycle = EndLifecycle.start(file, CONSUMER_PARTY_OFFSET, ownerWord, ROLE, false, false, () -> { }, () -> { });
    }

    /**
     * {@inheritDoc}
     *
     * @throws RingGoneException     once the ring file was deleted or replaced at its path and everything it held was
     *                               delivered (docs/LAYOUT.md section 2.3): open the path anew.
     * @throws io.shmring.core.ClosedException if this consumer (or its file) was closed.
     * @throws RoleLostException if another process took its role over.
     * @throws CorruptRingException  if the ring's positions or a frame are impossible.
     */
    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        final long tail = availableTail();
        final long head = this.head;
        if (head == tail)
        {
            return emptyPoll();
        }
        if (!lifecycle.holdsRole())
        {
            throw lifecycle.roleLost(); // taken over while stopped: deliver nothing the new consumer may have had
        }
        long position = head;
        int delivered = 0;
        long payloadBytes = 0;
        try
        {
            while (delivered < limit && position < tail)
            {
                final int index = (int)position & mask;
                final int frameLength = data.getInt(index + LENGTH_OFFSET); // plain: ordered by the acquire of the tail
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                if (typeId == PADDING_TYPE_ID)
                {
                    position = skipPadding(position, index, tail, frameLength);
                    continue;
                }
                position += checkedAlignedLength(position, index, tail, frameLength, typeId);
                delivered++;
                payloadBytes += frameLength - HEADER_LENGTH;
                handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
            }
        }
        finally
        {
            moveHead(position);
            counters.countMessages(delivered, payloadBytes); // once per batch, off the per-message path
        }
        return delivered;
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        final long tail = availableTail();
        if (head == tail)
        {
            return emptyPoll();
        }
        if (!lifecycle.holdsRole())
        {
            throw lifecycle.roleLost(); // taken over while stopped: deliver nothing the new consumer may have had
        }
        long position = head;
        int consumed = 0;
        long payloadBytes = 0;
        try
        {
            while (consumed < limit && position < tail)
            {
                final int index = (int)position & mask;
                final int frameLength = data.getInt(index + LENGTH_OFFSET); // plain: ordered by the acquire of the tail
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                if (typeId == PADDING_TYPE_ID)
                {
                    position = skipPadding(position, index, tail, frameLength);
                    continue;
                }
                final int alignedLength = checkedAlignedLength(position, index, tail, frameLength, typeId);
                final ControlledMessageHandler.Action action =
                    handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                if (action == ControlledMessageHandler.Action.ABORT)
                {
                    break;
                }
                position += alignedLength;
                consumed++;
                payloadBytes += frameLength - HEADER_LENGTH;
                if (action == ControlledMessageHandler.Action.BREAK)
                {
                    break;
                }
                if (action == ControlledMessageHandler.Action.COMMIT)
                {
                    moveHead(position);
                }
            }
        }
        finally
        {
            moveHead(position);
            counters.countMessages(consumed, payloadBytes); // once per batch, off the per-message path
        }
        return consumed;
    }

    /**
     * Deliver at least one message, waiting by this consumer's wait strategy, up to {@code timeout}, for
     * one to be published. An interrupt ends a sleep within a slice (20 ms with the default waits; 100 ms once
     * the end is idle: its waits timed out back to back for a second, or one wait has slept a second).
     *
     * @return messages delivered; 0 if the timeout passed or the producer closed and all was consumed.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.take(this, readable, handler, limit, timeout, unit);
    }

    /**
     * @return this consumer's wait strategy, wake lines and their wait/wake counters.
     */
    public RingWakeups wakeups()
    {
        return wakeups;
    }

    /**
     * @return true when the ring is empty now.
     */
    public boolean isEmpty()
    {
        return head == availableTail();
    }

    /**
     * @return true if the producer closed the ring (ending its stream), no producer is attached since, and everything
     *         it published has been consumed. An end that this consumer found when it attached, with nothing left to
     *         read, is not reported: it belongs to an earlier stream.
     */
    @Override
    public boolean isEndOfStream()
    {
        final long stream = control.getLongAcquire(STREAM_OFFSET); // acquire: the end follows the last tail
        return StreamWord.isEnded(stream) && stream != staleEnd && head == availableTail() && !file.hasAttachedProducerPid();
    }

    /**
     * @return bytes consumed so far (the head position).
     */
    public long position()
    {
        return head;
    }

    /**
     * @return the ring file this consumer reads.
     */
    public RingFile file()
    {
        return file;
    }

    /**
     * Detach so another consumer may attach; it resumes where this one stopped. The file stays mapped: close the
     * {@link RingFile} separately. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    private long availableTail()
    {
        if (!lifecycle.isOpen())
        {
            lifecycle.checkOpen();
        }
        if (head == tailCache)
        {
            final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: pairs with the producer's release; frames below are whole
            if ((tail & (FrameDescriptor.ALIGNMENT - 1)) != 0 || tail - head < 0 || tail - head > capacity)
            {
                throw lifecycle.corruptUnlessRoleLost(RingFrames.checkPositions(file, head, tail));
            }
            tailCache = tail;
        }
        return tailCache;
    }

    private void moveHead(final long position)
    {
        if (position != head)
        {
            if (!lifecycle.holdsRole())
            {
                throw lifecycle.roleLost(); // the head is the new consumer's now: never move it back
            }
            head = position;
            control.putLongRelease(HEAD_OFFSET, position); // release: our reads of the frames finish before the producer reuses them
            wakeups.signalNotFull(); // after the head's release store (a fence unless membarrier covers it), the waiter count: wakes a producer waiting for space
        }
    }

    /**
     * @return 0: nothing to deliver.
     * @throws RingGoneException if the ring file is gone and everything it held was delivered.
     */
    private int emptyPoll()
    {
        if (lifecycle.isRingGoneSettled() && head == availableTail()) // the tail again: a frame published meanwhile comes first
        {
            throw lifecycle.ringGoneDrained();
        }
        return 0;
    }

    private boolean isReadableOrClosed()
    {
        // closed (perhaps by another thread) or the role lost: the wait ends, and the poll after it throws
        return !lifecycle.isOpen() || head != availableTail() || isEndOfStream() || lifecycle.isRingGoneSettled();
    }

    /**
     * A frame other than padding: type id {@code >= 0}, {@code 8 <= length <= 8 + max message length}, and within
     * the tail and the data region (docs/LAYOUT.md section 3). A few compares on values in registers; all bounds
     * hold before the length is used for anything.
     *
     * @return its aligned length.
     * @throws CorruptRingException naming the broken rule; nothing past {@code position} was consumed.
     */
    private int checkedAlignedLength(final long position, final int index, final long tail, final int frameLength, final int typeId)
    {
        if (typeId < 0 || !FrameDescriptor.isValidFrameLength(frameLength, maxMessageLength))
        {
            throw corruptFrame(position, tail, frameLength, typeId);
        }
        final int alignedLength = (frameLength + FrameDescriptor.ALIGNMENT - 1) & -FrameDescriptor.ALIGNMENT; // <= capacity/2: no overflow
        if (position + alignedLength > tail || index + alignedLength > capacity)
        {
            throw corruptFrame(position, tail, frameLength, typeId);
        }
        return alignedLength;
    }

    /**
     * Padding fills the data region to its end exactly, and only because the frame after it (same publication, at
     * index 0) did not fit there.
     *
     * @return the position after the padding.
     * @throws CorruptRingException if it is not such padding; the head stays on it.
     */
    private long skipPadding(final long position, final int index, final long tail, final int frameLength)
    {
        final long next = position + frameLength;
        if (frameLength != capacity - index || next > tail)
        {
            throw corruptFrame(position, tail, frameLength, PADDING_TYPE_ID);
        }
        final int nextLength = next < tail ? data.getInt(LENGTH_OFFSET) : -1; // plain: below the tail, as above
        if (next >= tail || (nextLength >= 0 && FrameDescriptor.align(nextLength) <= frameLength)) // a negative one fails next
        {
            throw lifecycle.corruptUnlessRoleLost(RingFrames.checkPaddingNeeded(file, next, tail, frameLength, nextLength));
        }
        return next;
    }

    private RuntimeException corruptFrame(final long position, final long tail, final int frameLength, final int typeId)
    {
        final CorruptRingException corrupt = RingFrames.checkFrame(file, position, tail, frameLength, typeId);
        return lifecycle.corruptUnlessRoleLost(corrupt != null ? corrupt : new CorruptRingException(file.path(), "frame length",
            position, frameLength, "frame rejected with typeId=" + typeId + " tail=" + tail));
    }
}
