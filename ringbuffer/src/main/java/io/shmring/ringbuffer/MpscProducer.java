package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ClosedException;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.Publisher;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.RESERVATION_END_OFFSET;
import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.RESERVATION_LOCKED;
import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.RESERVATION_START_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_CACHE_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.TAIL_OFFSET;

/**
 * A producer of an MPSC ring; any number of them, in any number of processes, share one ring, and
 * one instance may be shared by any number of threads.
 * <p>
 * A claim moves the tail with a CAS, then swaps the frame's zero header for
 * {@code (length = -frameLength, type id = }{@link ClaimMarker marker}{@code )}, which names this
 * producer's slot in the producer table. A commit swaps that header for the real one with a CAS, an
 * abort swaps it for a padding frame; the consumer's recovery of a dead producer's claim CASes the
 * same word, so a commit and a recovery racing on one claim have exactly one winner. Between the tail
 * CAS and the header write the claimed range is also recorded in this producer's slot (see
 * {@link ProducerSlotDescriptor}), so even a claim whose header was never written can be recovered.
 * <p>
 * Constructing a producer registers it in a free slot of the table and starts its heartbeat;
 * {@link #close()} frees the slot.
 * <p>
 * Every commit (and abort, and close) signals the ring's not-empty wake line: a full fence and one read,
 * plus a wake call only when the consumer sleeps. The timed
 * {@link #offer(int, DirectBuffer, int, int, long, TimeUnit)} waits for space by the producer's
 * {@link WaitStrategy}, by default sleeping on the not-full line until the consumer frees space; any number
 * of producers, and threads, may sleep there at once.
 */
public final class MpscProducer implements Publisher
{
    private static final int NO_CLAIM = -1;
    private static final int FULL = -1;
    /** {@link #writeClaim} gave its range up: reserve another. */
    static final int CLAIM_AGAIN = -2;
    /**
     * Tries at one header while revoked producers' late claims come and go there (each try follows one such write or
     * withdrawal) before the header is left to the caller's checks.
     */
    private static final int MAX_TAKEOVERS = 64;

    /**
     * Claims of one call given up in a row (recovered before the header went in, or revoked) before the ring is taken
     * for corrupt: each needs the consumer to judge this running producer dead (by its heartbeat alone, after the claim
     * timeout) or an explicit unblock, so a live ring never comes near.
     */
    static final int MAX_CLAIM_ATTEMPTS = 64;

    /** Tries at starting the next stream while other processes keep changing the stream word. */
    static final int MAX_STREAM_ATTEMPTS = 1_000;

    /** Longest wait for this producer's slot reservation, which its own threads hold for a few instructions each. */
    static final long RESERVATION_LOCK_TIMEOUT_NS = 5_000_000_000L;

    /**
     * What one thread has in progress on this producer (threads share an instance): its open claim, and the
     * frame its timed offer waits to find room for, which makes this the thread's wait condition. Static, reaching the
     * producer weakly: a thread's ThreadLocal map holds its value strongly for as long as the thread lives (a pool's
     * thread, for ever), and a value that held the producer would keep it, and so its file's mapping, after close.
     */
    private static final class ThreadState implements WakeCondition
    {
        private final WeakReference<MpscProducer> producer;
        int index = NO_CLAIM;
        int typeId;
        int frameLength;
        int pendingAlignedLength;

        ThreadState(final MpscProducer producer)
        {
            this.producer = new WeakReference<>(producer);
        }

        @Override
        public boolean isReady()
        {
            // closed, or the ring gone or the slot lost: the wait ends, and the next claim says which; the state is
            // checked before the shared memory, which a closed producer's file may no longer map
            final MpscProducer owner = producer.get(); // reachable while a thread waits on it: the waiter holds it
            return owner == null || !owner.lifecycle.isOpen() || owner.hasSpaceFor(pendingAlignedLength);
        }
    }

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final ProducerTable table;
    private final int slot;
    private final int reservationStartOffset;
    private final int reservationEndOffset;
    private final int marker;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    /**
     * This slot's counters in the file (docs/LAYOUT.md 2.4): written only while this producer holds its reservation
     * lock, so its threads take turns as the one writer. Messages and bytes count claims (aborted ones too); wake calls
     * are counted by the thread that made one ({@link #signalNotEmpty()}).
     */
    private final EndCounters counters;
    private final ThreadLocal<ThreadState> threadStates = ThreadLocal.withInitial(() -> new ThreadState(this));

    /**
     * A producer whose timed offer uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an MPSC ring file.
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws TableFullException      if every producer slot is held by a live process.
     * @throws IllegalStateException    if the file was opened read-only.
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws CorruptRingException     if the head, tail or a producer slot are out of range, or the tail is not the
     *                                  boundary reached by walking the frames from the head (nothing is written).
     */
    public MpscProducer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an MPSC ring file.
     * @param waitStrategy how the timed offer waits for space; this producer's own instance, used by every
     *                     thread that offers through it (the blocking and polling strategies of the sync module
     *                     keep no per-call state, an Agrona back-off does).
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws TableFullException      if every producer slot is held by a live process.
     * @throws IllegalStateException    if the file was opened read-only.
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws CorruptRingException     if the head, tail or a producer slot are out of range, or the tail is not the
     *                                  boundary reached by walking the frames from the head (nothing is written).
     */
    public MpscProducer(final RingFile file, final WaitStrategy waitStrategy)
    {
        file.requireKind(RingKind.MPSC, "MpscProducer");
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.wakeups = new RingWakeups(file, waitStrategy);
        this.table = new ProducerTable(file);
        file.checkAttachable();
        loadHead(); // refuses a ring whose head and tail are impossible, before anything is written
        final ProducerTable.Registration registration = table.register();
        this.slot = registration.slot();
        final int slotOffset = RingDescriptor.producerSlotOffset(slot);
        EndLifecycle.awaitLive(file, table.record(slot), registration.ownerWord());
        // a tail inside a frame passes the range checks; the first claim there would pad over that frame's bytes
        EndLifecycle.refuseIfCorrupt(file, slotOffset + ProducerSlotDescriptor.PARTY_OFFSET, registration.ownerWord(),
            RingWalk.checkTailReachable(file));
        openStream();
        this.reservationStartOffset = slotOffset + RESERVATION_START_OFFSET;
        this.reservationEndOffset = slotOffset + RESERVATION_END_OFFSET;
        this.marker = ClaimMarker.of(slot, PartyDescriptor.generation(registration.ownerWord()));
        this.counters = new EndCounters(control, slotOffset + ProducerSlotDescriptor.COUNTERS_OFFSET); // the slot is ours
        this.lifecycle = EndLifecycle.start(file, slotOffset + ProducerSlotDescriptor.PARTY_OFFSET, registration.ownerWord(),
            "MPSC producer", true, true, this::abortOwnClaim, this::endStreamIfLast);
    }

    /**
     * A producer joining a stream that has ended starts the next one (docs/LAYOUT.md section 5.8).
     */
    private void openStream()
    {
        long stream = 0;
        for (int attempt = 0; attempt < MAX_STREAM_ATTEMPTS; attempt++)
        {
            stream = control.getLongVolatile(STREAM_OFFSET); // volatile: the latest stream
            if (!StreamWord.isEnded(stream) ||
                control.compareAndSetLong(STREAM_OFFSET, stream, StreamWord.next(stream))) // CAS: one joiner starts it
            {
                return;
            }
        }
        throw new CorruptRingException(file.path(), "stream", -1, stream,
            "changed under each of " + MAX_STREAM_ATTEMPTS + " attempts to start the next stream");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws RingGoneException        if the ring file was deleted or replaced, or its consumer retired it.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its slot over.
     * @throws CorruptRingException     if the head, tail or this slot's reservation is impossible.
     */
    @Override
    public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        lifecycle.checkOpen();
        checkMessage(typeId, length);
        final int frameLength = FrameDescriptor.frameLength(length);
        final int frameIndex = claim(frameLength);
        if (frameIndex == FULL)
        {
            return false;
        }
        data.putBytes(frameIndex + HEADER_LENGTH, src, offset, length);
        publish(frameIndex, frameLength, typeId);
        return true;
    }

    /**
     * Copy a message in, waiting by this producer's wait strategy, up to {@code timeout}, while the ring
     * is full. An interrupt ends a sleep within a slice (20 ms with the default waits; 100 ms once the end is idle: its
     * waits timed out back to back for a second, or one wait has slept a second).
     *
     * @return true if sent, false if the timeout passed first.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws RingGoneException        if the ring file was deleted or replaced, or its consumer retired it.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its slot over.
     * @throws CorruptRingException     if the head, tail or this slot's reservation is impossible.
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
     * ends a sleep within a slice (20 ms with the default waits; 100 ms once the end is idle: its waits timed out back to
     * back for a second, or one wait has slept a second). Each thread may have one claim open on this producer.
     *
     * @return index in {@link #buffer()} where the payload goes, {@link #INSUFFICIENT_CAPACITY} if the timeout passed
     *         first, or (once, before calls throw) {@link #DESTINATION_GONE}.
     * @throws InterruptedException     if the thread is interrupted while waiting (no claim is open then).
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if this thread already has a claim open.
     * @throws RingGoneException        on the call after the one that returned {@link #DESTINATION_GONE}.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its slot over.
     * @throws CorruptRingException     if the head, tail or this slot's reservation is impossible.
     */
    @Override
    public int tryClaim(final int typeId, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.claim(this, awaitingRoomFor(typeId, length), typeId, length, timeout, unit);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Each thread may have one claim open on this producer; it commits or aborts it itself.
     *
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if this thread already has a claim open.
     * @throws RingGoneException        on the call after the one that returned {@link #DESTINATION_GONE}.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its slot over.
     * @throws CorruptRingException     if the head, tail or this slot's reservation is impossible.
     */
    @Override
    public int tryClaim(final int typeId, final int length)
    {
        if (!lifecycle.isOpen())
        {
            return lifecycle.refusal();
        }
        checkMessage(typeId, length);
        final ThreadState open = threadStates.get();
        if (open.index != NO_CLAIM)
        {
            throw new IllegalStateException("this thread has a claim open, commit or abort it first: index=" + open.index);
        }
        final int frameLength = FrameDescriptor.frameLength(length);
        final int frameIndex = claim(frameLength);
        if (frameIndex == FULL)
        {
            return INSUFFICIENT_CAPACITY;
        }
        open.index = frameIndex + HEADER_LENGTH;
        open.typeId = typeId;
        open.frameLength = frameLength;
        return open.index;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ClaimRecoveredException if the consumer recovered the claim first (an explicit
     *                                  {@link MpscConsumer#unblock()}, or this producer was judged dead): the
     *                                  message is then discarded, never delivered.
     * @throws RoleLostException        if another process judged this one dead and took its slot over.
     * @throws IllegalStateException    if this thread has no claim open at that index.
     * @throws RingGoneException        if the ring file was deleted or replaced, or its consumer retired it: the claim
     *                                  is not published.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed: the claim is not published.
     */
    @Override
    public void commit(final int index)
    {
        final ThreadState open = checkClaim(index);
        open.index = NO_CLAIM;
        publish(index - HEADER_LENGTH, open.frameLength, open.typeId);
    }

    /**
     * {@inheritDoc}
     * <p>
     * A claim the consumer recovered meanwhile is already padding: aborting it is no error.
     *
     * @throws IllegalStateException    if this thread has no claim open at that index.
     * @throws RingGoneException        if the ring file was deleted or replaced, or its consumer retired it.
     * @throws io.shmring.core.ClosedException if this producer (or its file) is closed.
     * @throws RoleLostException        if another process took its slot over.
     */
    @Override
    public void abort(final int index)
    {
        final ThreadState open = checkClaim(index);
        open.index = NO_CLAIM;
        discard(index - HEADER_LENGTH, open.frameLength);
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
     * @return this producer's index in the producer table.
     */
    public int slot()
    {
        return slot;
    }

    /**
     * @param timeout longest heartbeat age still taken as alive.
     * @param unit    unit of {@code timeout}.
     * @return true if a consumer is attached, alive by the liveness rules (docs/LAYOUT.md section 6) and its
     *         heartbeat no older than {@code timeout}. Reads /proc.
     */
    public boolean isConsumerAlive(final long timeout, final TimeUnit unit)
    {
        final PartyStatus consumer = file.consumerStatus();
        return consumer.liveness() == PartyStatus.Liveness.ALIVE &&
            (file.path() == null || consumer.heartbeatAgeMs() <= unit.toMillis(timeout)); // direct rings have no heartbeat timer
    }

    /**
     * Abort the calling thread's open claim, stop the heartbeat and free the slot; if no other producer holds a
     * slot then, the stream ends (docs/LAYOUT.md section 5.8). A claim another thread still holds is recovered by
     * the consumer at its next judgement (docs/LAYOUT.md 5.7), as if this producer had died; other threads must have stopped using
     * this producer (their next call throws). The file stays mapped: close the {@link RingFile} separately.
     * Idempotent.
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

    private void abortOwnClaim()
    {
        final ThreadState open = threadStates.get();
        if (open.index != NO_CLAIM)
        {
            discard(open.index - HEADER_LENGTH, open.frameLength);
            open.index = NO_CLAIM;
        }
    }

    /**
     * After the slot is free: the last producer to leave ends the stream (docs/LAYOUT.md 5.2). A producer registering
     * meanwhile is still in the table, so the consumer does not take the end for its stream's (it requires no held slot).
     * A word already ended is left as it is: another last producer ended it (two released together), or an earlier
     * producer's end landed after this one joined, which a consumer attaching meanwhile did not take for an earlier
     * stream's, because this producer's slot was held then (5.8). Package-private so a test can stop a producer between
     * its release and this step.
     */
    void endStreamIfLast()
    {
        if (lifecycle.streamBrokeOff())
        {
            return; // broke off, not ended: a consumer of a deleted file reports the ring gone (docs/LAYOUT.md 2.3)
        }
        if (!table.hasHeldSlot() && leavesConsistentRing()) // volatile loads of the owner words, after our release CAS
        {
            final long stream = control.getLongVolatile(STREAM_OFFSET); // volatile: the latest stream
            if (!StreamWord.isEnded(stream))
            {
                control.compareAndSetLong(STREAM_OFFSET, stream, StreamWord.ended(stream)); // CAS: a joiner's new stream wins
            }
        }
        signalNotEmpty(); // after the slot's release CAS (a full barrier): a consumer sleeping in take sees the end of the stream
    }

    /**
     * A ring another producer found corrupt (and broke off from) must not end cleanly either: the last producer to leave
     * checks what every end checks at attach (docs/LAYOUT.md 5.8, 5.9). Not while the file itself closes its ends (its
     * accessors refuse then; the mapping stays until they are closed): the stream then ends as it did before this check.
     *
     * @return true if the ring passes the attach checks, or the file is closing.
     */
    private boolean leavesConsistentRing()
    {
        try
        {
            return RingFrames.checkConsistent(file) == null;
        }
        catch (final ClosedException closing)
        {
            return true;
        }
    }

    /**
     * Claim room for a frame: reserve a range by moving the tail, then write the claim header (and the
     * wrap claim at the ring's end) into it. A range the consumer recovered before the header went in is given
     * up and claimed anew.
     *
     * @return data index of the claimed frame, or {@link #FULL}.
     */
    private int claim(final int frameLength)
    {
        final int alignedLength = (int)FrameDescriptor.align(frameLength); // frameLength <= 8 + max message length
        for (int attempt = 1; ; attempt++)
        {
            final long tail = reserveRange(alignedLength);
            if (tail == FULL)
            {
                return FULL;
            }
            final int frameIndex = writeClaim(tail, frameLength);
            if (frameIndex != CLAIM_AGAIN)
            {
                return frameIndex;
            }
            if (attempt >= MAX_CLAIM_ATTEMPTS)
            {
                throw brokeOff(new CorruptRingException(file.path(), "reservation end", tail, -1, "slot " + slot +
                    " had its claim recovered or revoked " + MAX_CLAIM_ATTEMPTS + " times in a row"));
            }
        }
    }

    /**
     * Steps 1 and 2 of a claim (docs/LAYOUT.md 5.4): lock this producer's slot reservation, record the range in it and
     * move the tail past it. Package-private so a test can stall a producer between the tail CAS and its header CASes.
     *
     * @param alignedLength the frame's aligned length.
     * @return the tail the range starts at (the slot stays locked until {@link #writeClaim}), or {@link #FULL}
     *         (the slot is unlocked).
     */
    long reserveRange(final int alignedLength)
    {
        if (!lifecycle.holdsRole())
        {
            // another process judged this one dead and took the slot (docs/LAYOUT.md 5.4, before step 1): its reservation
            // is that producer's now, so lock nothing in it (the heartbeat would find out only at its next beat)
            throw lifecycle.roleLost();
        }
        lockReservation();
        final long tail = reserve(alignedLength);
        if (tail == FULL)
        {
            counters.countFull(); // under the reservation lock: one writer
            unlockReservation();
        }
        return tail;
    }

    /**
     * Steps 3 and 4 of a claim (docs/LAYOUT.md 5.4) on the range {@link #reserveRange} moved the tail past: write the
     * claim header(s) with CASes from 0, end the reservation, and keep the claim, or withdraw what went in and give the
     * range up. Every word this writes from 0 is a claim naming this producer (at the wrap too: the padding to the
     * ring's end is first written as a claim and made padding only once the reservation ended), so no other writer
     * ever writes an equal word there while this producer holds its slot's reservation lock: a withdrawal takes back
     * only what this producer wrote, and another producer tells a late, revoked header from the consumer's recovery.
     *
     * @param tail        the range's start, from {@link #reserveRange}.
     * @param frameLength the frame's length (8 + payload).
     * @return data index of the claimed frame, or {@link #CLAIM_AGAIN} if the range was given up.
     */
    int writeClaim(final long tail, final int frameLength)
    {
        final int alignedLength = (int)FrameDescriptor.align(frameLength); // frameLength <= 8 + max message length
        final long claimHeader = FrameHeader.pack(-frameLength, marker);
        final int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final boolean wraps = alignedLength > toEnd;
        final long end = tail + (wraps ? toEnd + alignedLength : alignedLength);
        final int frameIndex = wraps ? 0 : index;
        final long wrapHeader = FrameHeader.pack(-toEnd, marker); // toEnd < alignedLength: a valid claim length
        final boolean wrapWritten = wraps && writeHeader(index, wrapHeader, end);
        final boolean written = (!wraps || wrapWritten) && writeHeader(frameIndex, claimHeader, end);
        if (written)
        {
            counters.countMessages(1, frameLength - HEADER_LENGTH); // still under the reservation lock: one writer
        }
        if (control.compareAndSetLong(reservationEndOffset, end, 0)) // CAS: ends the reservation unless the consumer revoked it
        {
            if (wrapWritten)
            {
                // CAS: our wrap claim becomes the padding it stands for; fails only if the consumer recovered it into
                // the same padding, or (one lap on) turns a sibling thread's equal wrap claim into that padding early
                data.compareAndSetLong(index, wrapHeader, FrameHeader.padding(toEnd));
            }
            if (written)
            {
                return frameIndex;
            }
            // not revoked, yet a header CAS from 0 failed: the consumer recovered the range first (claim anew), or the
            // space past the tail was not zero
            checkRecovered(tail, end, index, toEnd, wraps, wrapWritten, alignedLength);
        }
        else
        {
            // Revoked: the consumer recovered this range and is past it, so anything we wrote landed on bytes it had
            // already consumed and zeroed. Put the zeros back (CAS: only our own claims, which no one else writes) and
            // claim anew.
            if (written)
            {
                data.compareAndSetLong(frameIndex, claimHeader, 0L);
                counters.countMessages(-1, -(frameLength - HEADER_LENGTH)); // revoked: the slot stays ours, uncount it
            }
            if (wrapWritten)
            {
                data.compareAndSetLong(index, wrapHeader, 0L);
            }
            // CAS, release: the withdrawn headers are zero before the slot is free; it fails only if another process
            // registered the slot after judging this one dead: a store would erase that producer's live range
            if (!control.compareAndSetLong(reservationEndOffset, ProducerSlotDescriptor.RESERVATION_REVOKED, 0))
            {
                throw new RoleLostException(file.path(), "MPSC producer");
            }
        }
        return CLAIM_AGAIN;
    }

    /**
     * A header CAS from 0 into this producer's reserved range. A claim of another producer found there is a revoked
     * producer's late header (it wrote into what it took for its own, recovered, range one lap or more back, and is
     * about to withdraw it): take its place, so its withdrawal finds our word and fails; if it withdrew first, the
     * word is zero again: try again from 0. A late claim is thus never taken for the consumer's recovery. Only while
     * our slot still records our range: a producer that was revoked is the late one, and must not take a live
     * producer's claim (the consumer revokes only after its recovery padding went in, which a claim there prevents).
     * Recovery padding, or anything else, is left for the caller to judge.
     *
     * @return true if {@code header} is in place.
     */
    private boolean writeHeader(final int headerIndex, final long header, final long end)
    {
        for (int attempt = 0; attempt < MAX_TAKEOVERS; attempt++)
        {
            if (data.compareAndSetLong(headerIndex, 0L, header)) // CAS from 0: free space, or a recovery (5.7 b) wins instead
            {
                return true;
            }
            final long found = data.getLongVolatile(headerIndex); // volatile: what beat our CAS
            if (found == 0)
            {
                continue; // the late claim was withdrawn meanwhile
            }
            final boolean lateClaim = FrameHeader.length(found) < 0 && ClaimMarker.isMarker(FrameHeader.typeId(found)) && found != header;
            if (!lateClaim || control.getLongVolatile(reservationEndOffset) != end) // volatile: revoked, so the late producer is us
            {
                return false;
            }
            if (data.compareAndSetLong(headerIndex, found, header)) // CAS: a late claim; its withdrawal now fails
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A header CAS from 0 failed in a range this producer reserved and still owns. The consumer's recovery of the
     * range (docs/LAYOUT.md 5.7 case b) puts the padding it computes at the range's first header, or has consumed and
     * zeroed it since: then claim anew. Anything else means bytes past the tail were not zero: the range is made padding
     * (it is ours; the consumer skips it) and the ring reported corrupt, unless a committed frame is there (the tail was
     * moved onto a message): then nothing is written over it.
     *
     * @throws CorruptRingException if the space was not zero.
     */
    private void checkRecovered(
        final long tail, final long end, final int index, final int toEnd, final boolean wraps, final boolean wrapWritten,
        final int alignedLength)
    {
        final int failedIndex = wraps && wrapWritten ? 0 : index;
        final long failedPosition = failedIndex == index ? tail : tail + toEnd;
        final long found = data.getLongVolatile(failedIndex); // volatile: what beat our CAS
        // the consumer pads a recovered range from the position it is blocked at: our range's start, or, once our
        // wrap claim was recovered into padding, the frame's start at index 0
        final long recovered = FrameHeader.padding(failedIndex == index ? (int)Math.min(end - tail, toEnd) : alignedLength);
        if (found == 0 || found == recovered)
        {
            return;
        }
        // volatile: the frame's part after the wrap is ours too, if its wrap claim never went in
        final long afterWrap = wraps && !wrapWritten ? data.getLongVolatile(0) : 0;
        refuseToPadOverCommittedFrame(failedPosition, found);
        refuseToPadOverCommittedFrame(tail + toEnd, afterWrap);
        padOwnRange(failedIndex, found, failedIndex == index ? Math.min(alignedLength, toEnd) : alignedLength);
        if (wraps && !wrapWritten)
        {
            padOwnRange(0, afterWrap, alignedLength);
        }
        signalNotEmpty(); // a consumer sleeping at the range wakes to skip the padding
        throw brokeOff(new CorruptRingException(file.path(), "frame header", failedPosition, found,
            "free space past the tail must be zero (a claim's header is written with a CAS from 0)"));
    }

    /**
     * A committed frame (positive length, type id {@code >= 0}) where this producer's range should hold free space is a
     * message the consumer has not read, or will read as valid: the tail was moved onto it by someone else. Padding it
     * would lose or damage that message, so nothing is written.
     *
     * @throws CorruptRingException if {@code header} is a committed frame's.
     */
    private void refuseToPadOverCommittedFrame(final long position, final long header)
    {
        if (FrameHeader.length(header) > 0 && FrameHeader.typeId(header) >= 0)
        {
            throw brokeOff(new CorruptRingException(file.path(), "frame header", position, header,
                "a committed frame (length=" + FrameHeader.length(header) + " type id=" + FrameHeader.typeId(header) +
                ") lies in the range this producer reserved past the tail: the tail was moved onto it; nothing was written"));
        }
    }

    /**
     * Turn a header of a range this producer owns into padding, whatever it holds, so the consumer skips the range.
     */
    private void padOwnRange(final int headerIndex, final long found, final int length)
    {
        data.compareAndSetLong(headerIndex, found, FrameHeader.padding(length)); // CAS: loses only to another writer of bad bytes
    }

    /**
     * Move the tail past {@code alignedLength} bytes (plus the padding to the ring's end if the frame
     * does not fit before it), recording the range in this producer's slot first.
     *
     * @return the tail the range starts at, or {@link #FULL}.
     */
    private long reserve(final int alignedLength)
    {
        long head = control.getLongAcquire(HEAD_CACHE_OFFSET); // acquire: bytes below it were zeroed before the head moved
        while (true)
        {
            final long tail = control.getLongVolatile(TAIL_OFFSET); // volatile: the latest tail, or our CAS fails
            if ((tail & (FrameDescriptor.ALIGNMENT - 1)) != 0)
            {
                throw brokeOff(
                    new CorruptRingException(file.path(), "tail", -1, tail, "positions are multiples of " + FrameDescriptor.ALIGNMENT));
            }
            final int toEnd = capacity - ((int)tail & mask);
            final long nextTail = tail + (alignedLength > toEnd ? toEnd + alignedLength : alignedLength);
            if (nextTail - head > capacity || tail - head < 0) // a head cache above the tail is impossible: take the head
            {
                head = loadHead();
                if (nextTail - head > capacity)
                {
                    return FULL;
                }
                control.putLongRelease(HEAD_CACHE_OFFSET, head); // release: hands the consumer's zeroing on to other producers
                if (tail - head < 0)
                {
                    continue; // the head moved past the tail we read: read the tail again
                }
            }
            control.putLong(reservationStartOffset, tail);
            control.putLongRelease(reservationEndOffset, nextTail); // release: the range's start is visible with its end
            if (control.compareAndSetLong(TAIL_OFFSET, tail, nextTail)) // CAS: the claim; the range is recorded before it
            {
                return tail;
            }
        }
    }

    /**
     * The head, checked before any claim rests on it: a non-negative multiple of 8, never above a tail read after it,
     * and, when the tail did not move around it (a consistent pair), at most capacity below that tail.
     *
     * @return the head.
     * @throws CorruptRingException if it is out of range.
     */
    private long loadHead()
    {
        final long tailBefore = control.getLongVolatile(TAIL_OFFSET); // volatile: a pair with the head below
        final long head = control.getLongAcquire(HEAD_OFFSET); // acquire: the consumer's reads and zeroing below it are done
        final long tailAfter = control.getLongVolatile(TAIL_OFFSET); // volatile: unchanged means the pair held at one moment
        if (head < 0 || (head & (FrameDescriptor.ALIGNMENT - 1)) != 0 || tailAfter - head < 0 ||
            (tailAfter == tailBefore && tailAfter - head > capacity))
        {
            throw brokeOff(RingFrames.checkPositions(file, head, tailAfter));
        }
        return head;
    }

    /**
     * What this producer throws when it finds the ring corrupt: once attached, remembered so that its close ends no
     * stream ({@link EndLifecycle#brokeOff}); at attach (the constructor's check of the head) there is no stream yet.
     */
    private CorruptRingException brokeOff(final CorruptRingException corrupt)
    {
        return lifecycle == null ? corrupt : lifecycle.brokeOff(corrupt);
    }

    private void lockReservation()
    {
        if (!tryLockReservation())
        {
            throw brokeOff(new CorruptRingException(file.path(), "reservation end", -1,
                control.getLongVolatile(reservationEndOffset), // volatile: the value that kept it locked
                "slot " + slot + " stayed reserved for " + TimeUnit.NANOSECONDS.toMillis(RESERVATION_LOCK_TIMEOUT_NS) +
                " ms; this producer's threads hold it for a few instructions"));
        }
    }

    /**
     * Take this producer's slot reservation lock, waiting up to {@link #RESERVATION_LOCK_TIMEOUT_NS}.
     *
     * @return true if this thread holds it now; false if it stayed held (or revoked) for the whole timeout.
     */
    private boolean tryLockReservation()
    {
        if (control.compareAndSetLong(reservationEndOffset, 0, RESERVATION_LOCKED)) // CAS: one thread of this producer reserves at a time
        {
            return true;
        }
        final long deadline = System.nanoTime() + RESERVATION_LOCK_TIMEOUT_NS;
        int spins = 0;
        while (!control.compareAndSetLong(reservationEndOffset, 0, RESERVATION_LOCKED)) // CAS: as above
        {
            Thread.onSpinWait();
            if ((++spins & 1023) == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return false;
                }
                Thread.yield();
            }
        }
        return true;
    }

    /**
     * Signal the not-empty line (one read, plus a wake call only if the consumer sleeps; every caller published by a CAS,
     * a full barrier, so no fence is added: {@link io.shmring.sync.Eventcount#signalAfterAtomicUpdate()}), and count a
     * wake call made in this slot's counters (docs/LAYOUT.md 2.4). Any thread of this producer may signal at the same
     * moment as another, and the record has one writer at a time: the thread holding the slot's reservation lock. So
     * the count takes that lock, only after a wake call, a system call already: a publication with no sleeping consumer
     * pays nothing more. Not counted: a wake call made once this producer is closing or has lost its slot (the record is
     * then not its own), or while a sibling thread held the lock for the whole lock timeout (its next claim reports
     * that as corruption).
     */
    private void signalNotEmpty()
    {
        if (wakeups.notEmpty().signalAfterAtomicUpdate() && lifecycle.isOpen() && lifecycle.holdsRole() && tryLockReservation())
        {
            counters.countWakeCall(); // under the reservation lock: one writer
            unlockReservation();
        }
    }

    private void unlockReservation()
    {
        control.putLongRelease(reservationEndOffset, 0); // release: the header is written before the range is forgotten
    }

    private void publish(final int frameIndex, final int frameLength, final int typeId)
    {
        if (!data.compareAndSetLong( // CAS: payload visible before the positive length; loses to a recovery, never overwrites it
            frameIndex, FrameHeader.pack(-frameLength, marker), FrameHeader.pack(frameLength, typeId)))
        {
            throw new ClaimRecoveredException(file.path(), frameIndex + HEADER_LENGTH, slot);
        }
        signalNotEmpty(); // the header CAS is a full barrier (volatile RMW): no fence needed before the waiter count on any version
    }

    private void discard(final int frameIndex, final int frameLength)
    {
        // CAS: turns the claim into padding; failing means the consumer already did, which is what abort wants
        data.compareAndSetLong(frameIndex, FrameHeader.pack(-frameLength, marker),
            FrameHeader.padding((int)FrameDescriptor.align(frameLength)));
        signalNotEmpty(); // a consumer sleeping on the claim wakes to skip the padding
    }

    /**
     * The timed offer's wait condition: room for a frame of {@code alignedLength} bytes at the tail now,
     * including the padding to the end of the ring it would need (as {@link #reserve} computes it). The head is
     * checked each time ({@link #loadHead}): one broken while this producer waits is corruption, reported at once,
     * not a full ring waited on until the timeout.
     *
     * @throws CorruptRingException if the head is out of range.
     */
    private boolean hasSpaceFor(final int alignedLength)
    {
        final long head = loadHead();
        final long tail = control.getLongVolatile(TAIL_OFFSET); // volatile: other producers move the tail too
        final int toEnd = capacity - ((int)tail & mask);
        final long nextTail = tail + (alignedLength > toEnd ? toEnd + alignedLength : alignedLength);
        return nextTail - head <= capacity;
    }

    /**
     * Before a timed offer or claim: check the message, and make this thread's wait condition room for its frame.
     *
     * @return this thread's state, the condition to wait on.
     */
    private ThreadState awaitingRoomFor(final int typeId, final int length)
    {
        checkMessage(typeId, length);
        final ThreadState state = threadStates.get();
        state.pendingAlignedLength = FrameDescriptor.alignedFrameLength(length);
        return state;
    }

    private void checkMessage(final int typeId, final int length)
    {
        FrameDescriptor.checkTypeId(typeId);
        FrameDescriptor.checkMessageLength(length, maxMessageLength);
    }

    private ThreadState checkClaim(final int index)
    {
        lifecycle.checkOpen();
        final ThreadState open = threadStates.get();
        if (open.index == NO_CLAIM)
        {
            throw new IllegalStateException("no open claim on this thread (already committed or aborted?): index=" + index);
        }
        if (index != open.index)
        {
            throw new IllegalStateException("index does not match the open claim: index=" + index + " claim=" + open.index);
        }
        return open;
    }
}
