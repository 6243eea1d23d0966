package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.FrameDescriptor;
import io.shmring.sync.WaitStrategy;

import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.PRODUCER_PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.TAIL_OFFSET;

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
 * call only when the consumer sleeps. The timed {@link #offer(int, org.agrona.DirectBuffer, int, int, long, java.util.concurrent.TimeUnit)}
 * waits for space by the producer's {@link WaitStrategy}, by default sleeping on the not-full line
 * until the consumer frees space.
 */
public final class SpscProducer extends TailProducer
{
    private static final String ROLE = "SPSC producer";

    private long headCache;

    /**
     * A producer whose timed offer uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an SPSC ring file.
     * @throws IncompatibleRingException if the file is not SPSC (field {@code kind}).
     * @throws AlreadyAttachedException if another live producer is attached.
     * @throws RingGoneException         if the ring's consumer retired (deleted) it meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible, or the tail is not the boundary reached
     *                                   by walking the frames from the head (the role is released again; nothing is
     *                                   written).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public SpscProducer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an SPSC ring file.
     * @param waitStrategy how the timed offer waits for space; this producer's own instance.
     * @throws IncompatibleRingException if the file is not SPSC (field {@code kind}).
     * @throws AlreadyAttachedException if another live producer is attached.
     * @throws RingGoneException         if the ring's consumer retired (deleted) it meanwhile.
     * @throws CorruptRingException      if the ring's head and tail are impossible, or the tail is not the boundary reached
     *                                   by walking the frames from the head (the role is released again; nothing is
     *                                   written).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public SpscProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        super(file.requireKind(RingKind.SPSC, "SpscProducer"), waitStrategy);
        file.checkAttachable();
        final long ownerWord = EndLifecycle.attachExclusive(file, PRODUCER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(PRODUCER_PARTY_OFFSET), ownerWord);
        this.tail = control.getLongAcquire(TAIL_OFFSET); // acquire: resume after a previous producer's frames
        this.headCache = control.getLongAcquire(HEAD_OFFSET); // acquire: the consumer is done with bytes below head
        // no other producer moves the tail, and the consumer never passes it: the pair must be possible
        EndLifecycle.refuseIfCorrupt(file, PRODUCER_PARTY_OFFSET, ownerWord, RingFrames.checkPositions(file, headCache, tail));
        // a tail inside a frame passes the range checks; the first frame written there would damage that frame
        EndLifecycle.refuseIfCorrupt(file, PRODUCER_PARTY_OFFSET, ownerWord, RingWalk.checkTailReachable(file));
        // release: a new stream, after the takeover; a consumer never takes the last producer's end for this one's
        control.putLongRelease(STREAM_OFFSET, StreamWord.next(control.getLongVolatile(STREAM_OFFSET))); // volatile: latest
        holdCounters();
        // signal again once the role is released: the consumer's end-of-stream condition also needs the record's pid 0,
        // so the signal of endStream alone could leave a woken consumer asleep for another slice (docs/LAYOUT.md section 3)
        this.lifecycle = EndLifecycle.start(file, PRODUCER_PARTY_OFFSET, ownerWord, ROLE, true, false, this::endStream,
            wakeups::signalNotEmpty);
    }

    /**
     * Room below the cached head plus the capacity; the head is read again (acquire) only when the cache says no.
     */
    @Override
    boolean hasRoom(final long end)
    {
        if (end - headCache > capacity)
        {
            headCache = loadHead();
            return end - headCache <= capacity;
        }
        return true;
    }

    @Override
    boolean hasRoomNow(final long end)
    {
        headCache = loadHead();
        return end - headCache <= capacity;
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
            throw lifecycle.brokeOff(RingFrames.checkPositions(file, head, tail));
        }
        return head;
    }
}
