package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.Publisher;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.TAIL_OFFSET;

/**
 * What the one producer of an SPSC ring and of a broadcast ring share: frames written in place at the tail (padding to
 * the end of the data region first when a frame does not fit before the wrap), then published by a release store of
 * the tail and a signal of the not-empty line; one claim at a time; the end of the stream at close. Subclasses say
 * when there is room ({@link #hasRoom}, {@link #hasRoomNow}) and may add a step after each publication. Not
 * thread-safe.
 */
abstract class TailProducer implements Publisher
{
    private static final int NO_CLAIM = -1;

    final RingFile file;
    final AtomicBuffer control;
    final UnsafeBuffer data;
    final RingWakeups wakeups;
    final int capacity;
    final int mask;
    final int maxMessageLength;
    /** Set by the subclass's constructor once it holds the role. */
    EndLifecycle lifecycle;
    long tail;
    /** This producer's counters in the file (docs/LAYOUT.md 2.4); set with {@link #holdCounters()} once the role is held. */
    private EndCounters counters;

    private final WakeCondition writable = this::hasSpaceForPendingFrame;
    private int claimIndex = NO_CLAIM;
    private int claimTypeId;
    private int claimLength;
    private long claimNextTail;
    private int pendingAlignedLength;

    TailProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.wakeups = new RingWakeups(file, waitStrategy);
    }

    /**
     * @param end position the frame (and any padding before it) would end at.
     * @return true if the producer may write up to {@code end} now; the hot path, called for every message.
     */
    abstract boolean hasRoom(long end);

    /**
     * The timed offer's wait condition, evaluated by the wait strategy while the producer waits.
     *
     * @param end position the pending frame would end at.
     * @return true if there is room for it now (read the consumers' state afresh).
     */
    abstract boolean hasRoomNow(long end);

    /**
     * The subclass's constructor, once it holds the producer role: from now on this producer counts into the file.
     */
    final void holdCounters()
    {
        counters = new EndCounters(control, RingDescriptor.PRODUCER_COUNTERS_OFFSET);
        wakeups.countInto(counters);
    }

    /**
     * After a frame's tail store, before the signal; nothing by default.
     *
     * @param frameStart position of the frame just published (after any padding).
     */
    void afterPublish(final long frameStart)
    {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is open.
     * @throws RingGoneException        if the ring file was deleted or replaced, or retired.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     * @throws CorruptRingException     if the consumers' positions are impossible; nothing is written.
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
     * Copy a message in, waiting by this producer's wait strategy, up to {@code timeout}, while the ring is full. An
     * interrupt ends a sleep within a slice (20 ms with the default waits; 100 ms once
     * the end is idle: its waits timed out back to back for a second, or one wait has slept a second).
     *
     * @return true if sent, false if the timeout passed first.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is open.
     * @throws RingGoneException        if the ring file was deleted or replaced, or retired.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     * @throws CorruptRingException     if the consumers' positions are impossible; nothing is written.
     */
    @Override
    public boolean offer(
        final int typeId, final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.offer(this, awaitingRoomFor(typeId, length), typeId, src, offset, length, timeout, unit);
    }

    /**
     * Claim space for a message, waiting by this producer's wait strategy, up to {@code timeout}, while the ring is
     * full: asleep on the ring's not-full wake line, as the timed offer, until the consumer frees space. An interrupt
     * ends a sleep within a slice (20 ms with the default waits; 100 ms once
     * the end is idle: its waits timed out back to back for a second, or one wait has slept a second).
     *
     * @return index in {@link #buffer()} where the payload goes, {@link #INSUFFICIENT_CAPACITY} if the timeout passed
     *         first, or (once, before calls throw) {@link #DESTINATION_GONE}.
     * @throws InterruptedException     if the thread is interrupted while waiting (no claim is open then).
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is already open.
     * @throws RingGoneException        on the call after the one that returned {@link #DESTINATION_GONE}.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     * @throws CorruptRingException     if the consumers' positions are impossible; nothing is written.
     */
    @Override
    public int tryClaim(final int typeId, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.claim(this, awaitingRoomFor(typeId, length), typeId, length, timeout, unit);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is already open.
     * @throws RingGoneException        on the call after the one that returned {@link #DESTINATION_GONE}.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     * @throws CorruptRingException     if the consumers' positions are impossible; nothing is written.
     */
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

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException    if no claim at that index is open.
     * @throws RingGoneException        if the ring file was deleted or replaced, or retired: the claim is not published.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed: the claim is not published.
     * @throws RoleLostException        if another process took its role over: the claim is not published.
     */
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
     *
     * @throws IllegalStateException    if no claim at that index is open.
     * @throws RingGoneException        if the ring file was deleted or replaced, or retired.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its role over.
     */
    @Override
    public void abort(final int index)
    {
        lifecycle.checkOpen();
        checkClaim(index);
        claimIndex = NO_CLAIM; // nothing was published: the space is reused by the next frame
    }

    @Override
    public UnsafeBuffer buffer()
    {
        lifecycle.checkOpen(); // after close the mapping may be gone: a write through it would kill the JVM
        return data;
    }

    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
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
     * Detach: an open claim is dropped, the stream ends (a consumer sees the end once it has read everything), and
     * another producer may attach. The file stays mapped: close the {@link RingFile} separately. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    /**
     * {@inheritDoc}
     * <p>
     * The role is released without ending the stream (docs/LAYOUT.md 5.8), as a crash would leave it.
     */
    @Override
    public void closeBrokenOff()
    {
        lifecycle.breakOff();
        lifecycle.close();
    }

    /**
     * The close step while the role is still held: an open claim is simply never committed (every later call throws,
     * and close may run on another thread); the stream ends.
     */
    void endStream()
    {
        if (lifecycle.streamBrokeOff())
        {
            return; // broke off, not ended: a consumer of a deleted file reports the ring gone (docs/LAYOUT.md 2.3)
        }
        // release: after the last tail store; a consumer that sees the end sees every frame
        control.putLongRelease(STREAM_OFFSET, StreamWord.ended(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        wakeups.signalNotEmpty(); // sleeping consumers wake to see the end of the stream
    }

    /**
     * Find room for a frame of {@code alignedLength} bytes at the tail, padding to the end of the ring first if the
     * frame does not fit before the wrap.
     *
     * @return the data index of the frame, or -1 if the ring is too full; sets {@link #claimNextTail}.
     */
    private int reserve(final int alignedLength)
    {
        final long tail = this.tail;
        final int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = alignedLength > toEnd ? toEnd : 0;
        final long end = tail + padding + alignedLength;
        if (!hasRoom(end))
        {
            counters.countFull(); // not the hot path: the ring is full
            return -1;
        }
        if (padding != 0)
        {
            data.putInt(index + TYPE_ID_OFFSET, PADDING_TYPE_ID);
            data.putInt(index + LENGTH_OFFSET, padding);
        }
        claimNextTail = end;
        return padding != 0 ? 0 : index;
    }

    private void publish(final int frameIndex, final int typeId, final int length, final long nextTail)
    {
        data.putInt(frameIndex + TYPE_ID_OFFSET, typeId);
        data.putInt(frameIndex + LENGTH_OFFSET, FrameDescriptor.frameLength(length));
        tail = nextTail;
        control.putLongRelease(TAIL_OFFSET, nextTail); // release: frame bytes are visible before a consumer sees the tail
        counters.countMessages(1, length); // two release stores to this producer's own line, after the tail's
        afterPublish(nextTail - FrameDescriptor.alignedFrameLength(length));
        wakeups.signalNotEmpty(); // after the tail's release store (a fence unless membarrier covers it), the waiter count: one wake call reaches every sleeper
    }

    /**
     * The timed offer's wait condition: room at the tail for a frame of {@link #pendingAlignedLength}, including the
     * padding to the end of the ring it would need.
     */
    private boolean hasSpaceForPendingFrame()
    {
        if (!lifecycle.isOpen())
        {
            return true; // closed, or the ring gone or the role lost: the wait ends, and the next attempt says which
        }
        final int toEnd = capacity - ((int)tail & mask);
        final int padding = pendingAlignedLength > toEnd ? toEnd : 0;
        return hasRoomNow(tail + padding + pendingAlignedLength);
    }

    /**
     * Before a timed offer or claim: check the message, and make the wait condition room for its frame.
     *
     * @return the condition to wait on.
     */
    private WakeCondition awaitingRoomFor(final int typeId, final int length)
    {
        checkMessage(typeId, length);
        pendingAlignedLength = FrameDescriptor.alignedFrameLength(length);
        return writable;
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
