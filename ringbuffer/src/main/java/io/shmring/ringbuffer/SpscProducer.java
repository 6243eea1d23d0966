package io.shmring.ringbuffer;

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
import static io.shmring.ringbuffer.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.PRODUCER_PARTY_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.TAIL_OFFSET;

/**
 * The one producer of an SPSC ring. Frames are written in place below the tail, then the tail is
 * moved with a release store: the consumer never sees a frame before all its bytes. Not thread-safe.
 * <p>
 * Attaching records this process as the ring's producer; a second live producer is refused
 * ({@link AlreadyAttachedException}). The JVM's heartbeat timer beats for it and checks, every beat, that the
 * ring file is still at its path: once it is not, {@code tryClaim} returns {@link #DESTINATION_GONE} once and
 * every later call throws {@link RingGoneException}.
 * <p>
 * Every publication signals the ring's not-empty wake line: a full fence and one read, plus a wake
 * call only when the consumer sleeps. The timed {@link #offer(int, DirectBuffer, int, int, long, TimeUnit)}
 * waits for space by the producer's {@link WaitStrategy}, by default sleeping on the not-full line
 * until the consumer frees space.
 */
public final class SpscProducer implements Publisher
{
    private static final int NO_CLAIM = -1;
    private static final String ROLE = "SPSC producer";

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    private final WakeCondition writable = this::hasSpaceForPendingFrame;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;

    private long tail;
    private long headCache;
    private int claimIndex = NO_CLAIM;
    private int claimTypeId;
    private int claimLength;
    private long claimNextTail;
    private int pendingAlignedLength;

    /**
     * A producer whose timed offer uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an SPSC ring file.
     * @throws IllegalArgumentException if the file is not SPSC.
     * @throws AlreadyAttachedException if another live producer is attached.
     * @throws RingGoneException         if the ring's consumer retired (deleted) it meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible (the role is released again).
     * @throws IllegalStateException     if the file is closed.
     */
    public SpscProducer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an SPSC ring file.
     * @param waitStrategy how the timed offer waits for space; this producer's own instance.
     * @throws IllegalArgumentException if the file is not SPSC.
     * @throws AlreadyAttachedException if another live producer is attached.
     * @throws RingGoneException         if the ring's consumer retired (deleted) it meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible (the role is released again).
     * @throws IllegalStateException     if the file is closed.
     */
    public SpscProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        if (file.kind() != RingKind.SPSC)
        {
            throw new IllegalArgumentException("SpscProducer needs an SPSC ring: kind=" + file.kind() + " path=" + file.path());
        }
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.wakeups = new RingWakeups(file, waitStrategy);
        file.checkOpen();
        final long ownerWord = EndLifecycle.attachExclusive(file, PRODUCER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(PRODUCER_PARTY_OFFSET), ownerWord);
        this.tail = control.getLongAcquire(TAIL_OFFSET); // acquire: resume after a previous producer's frames
        this.headCache = control.getLongAcquire(HEAD_OFFSET); // acquire: the consumer is done with bytes below head
        // no other producer moves the tail, and the consumer never passes it: the pair must be possible
        EndLifecycle.refuseIfCorrupt(file, PRODUCER_PARTY_OFFSET, ownerWord, RingFrames.checkPositions(file, headCache, tail));
        // release: a new stream, after the takeover; a consumer never takes the last producer's end for this one's
        control.putLongRelease(STREAM_OFFSET, StreamWord.next(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        this.lifecycle = EndLifecycle.start(file, PRODUCER_PARTY_OFFSET, ownerWord, ROLE, true, false, this::endStream, () -> { });
    }

    /**
     * {@inheritDoc}
     *
     * @throws RingGoneException     if the ring file was deleted or replaced, or its consumer retired it.
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
     * Copy a message in, waiting by this producer's wait strategy, up to {@code timeout}, while the ring
     * is full. An interrupt ends a sleep within a slice (tens of milliseconds).
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

    @Override
    public void abort(final int index)
    {
        lifecycle.checkOpen();
        checkClaim(index);
        claimIndex = NO_CLAIM; // nothing was published: the space stays free
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
     * Detach: an open claim is dropped, the stream ends (the consumer sees the end once it has read everything),
     * and another producer may attach. The file stays mapped: close the {@link RingFile} separately. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    private void endStream()
    {
        // an open claim is simply never committed: every later call throws, and close may run on another thread
        // release: after the last tail store; the consumer that sees the end sees every frame
        control.putLongRelease(STREAM_OFFSET, StreamWord.ended(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        wakeups.signalNotEmpty(); // a sleeping consumer wakes to see the end of the stream
    }

    /**
     * Find room for a frame of {@code alignedLength} bytes at the tail, padding to the end of the ring
     * first if the frame does not fit before the wrap.
     *
     * @return the data index of the frame, or -1 if the ring is too full; sets {@link #claimNextTail}.
     */
    private int reserve(final int alignedLength)
    {
        final long tail = this.tail;
        final int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = alignedLength > toEnd ? toEnd : 0;
        final long required = padding + (long)alignedLength;
        if (tail + required - headCache > capacity)
        {
            headCache = loadHead();
            if (tail + required - headCache > capacity)
            {
                return -1;
            }
        }
        if (padding != 0)
        {
            data.putInt(index + TYPE_ID_OFFSET, PADDING_TYPE_ID);
            data.putInt(index + LENGTH_OFFSET, padding);
        }
        claimNextTail = tail + required;
        return padding != 0 ? 0 : index;
    }

    private void publish(final int frameIndex, final int typeId, final int length, final long nextTail)
    {
        data.putInt(frameIndex + TYPE_ID_OFFSET, typeId);
        data.putInt(frameIndex + LENGTH_OFFSET, FrameDescriptor.frameLength(length));
        tail = nextTail;
        control.putLongRelease(TAIL_OFFSET, nextTail); // release: frame bytes are visible before the consumer sees the tail
        wakeups.signalNotEmpty(); // full fence after the tail store, then the waiter count: wakes a sleeping consumer
    }

    /**
     * The timed offer's wait condition: room at the tail for a frame of {@link #pendingAlignedLength},
     * including the padding to the end of the ring it would need.
     */
    private boolean hasSpaceForPendingFrame()
    {
        final long tail = this.tail;
        final int toEnd = capacity - ((int)tail & mask);
        final int padding = pendingAlignedLength > toEnd ? toEnd : 0;
        headCache = loadHead();
        return tail + padding + pendingAlignedLength - headCache <= capacity;
    }

    /**
     * @return the head (acquire: the consumer's reads of freed bytes are done), checked against this producer's own
     *         tail: a multiple of 8 with {@code 0 <= tail - head <= capacity}, as the consumer never passes the tail and
     *         the tail never runs more than capacity ahead.
     * @throws CorruptRingException if it is out of range; nothing is written.
     */
    private long loadHead()
    {
        final long head = control.getLongAcquire(HEAD_OFFSET); // acquire: the consumer's reads of freed bytes are done
        if ((head & (FrameDescriptor.ALIGNMENT - 1)) != 0 || tail - head < 0 || tail - head > capacity)
        {
            throw RingFrames.checkPositions(file, head, tail);
        }
        return head;
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
