package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;
import static io.shmring.ringbuffer.internal.RingDescriptor.CONSUMER_PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.RECOVERED_CLAIMS_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.RELEASE_TARGET_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.STREAM_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.TAIL_OFFSET;

/**
 * The one consumer of an MPSC ring. Reads frames in place while their length is positive, stops at a
 * claim not yet committed, and zeroes what it consumed before moving the head (release), so producers
 * always find zeroed space. Not thread-safe.
 * <p>
 * Recovery: when the head stays on the same uncommitted claim and the claim's owner is dead, the claim is turned into
 * padding. The owner is judged 50 ms after the claim was first seen blocking the head, then every 50 ms, by the
 * liveness rules of docs/LAYOUT.md section 6: a death known for certain (its slot changed hands; its pid is gone, a
 * zombie or recycled in this pid namespace; another boot) counts at once, a verdict that rests on the heartbeat alone
 * (another pid namespace, or a pid that cannot be checked: no heartbeat for the staleness period) only once the claim
 * has blocked the head for the claim timeout. The padding goes in with a CAS on the claim's header (the owner's commit
 * CASes the same word, so a racing commit either wins and is delivered once, or fails loudly and is never delivered)
 * and the ring moves on. This works when the ring is full: recovery needs no producer. A live producer is never
 * unblocked this way, however long it holds a claim (or is stopped, or starved of CPU);
 * {@link #unblock()} is the explicit override. Every recovery skips what the range held, so each is counted in the
 * file ({@link #recoveredClaims()}, shown by {@code stat}) and told to the {@link ClaimRecoveryListener}, if the
 * consumer has one, with the position and the bytes skipped (the {@code shm:} subscriber's logs a warning).
 * <p>
 * {@link #take} blocks by the consumer's {@link WaitStrategy}: by default it spins, yields, then sleeps
 * on the ring's not-empty wake line until a producer commits (futex or semaphore, as the file says). It
 * waits for a committed frame at the head, not for the tail to move, so a claim still being written does
 * not make it spin. A sleeping consumer still recovers a dead producer's claim: its wait condition runs
 * the same liveness checks as {@link #poll}, at the same times, each time a sleep slice ends (such a
 * recovery ends a sleep that no producer signalled, so it shows in the eventcount's {@code readyAfterExpiry},
 * like a lost wakeup would). Each move of the head signals the not-full line, which costs a fence and a read
 * unless a producer sleeps.
 */
public final class MpscConsumer implements Subscriber
{
    /**
     * Claim timeout used when none is given (one second; it was five): how long a claim may block the head before an
     * owner judged dead by its heartbeat alone (another pid namespace) loses it. An owner known dead for certain (its pid
     * checked in this namespace) loses it at the first judgement, {@link #JUDGE_INTERVAL_MS} after the claim was first
     * seen blocking, whatever the timeout.
     */
    public static final long DEFAULT_CLAIM_TIMEOUT_MS = 1_000;

    /** Shortest claim timeout accepted: five heartbeat intervals. */
    public static final long MIN_CLAIM_TIMEOUT_MS = 5 * PartyDescriptor.HEARTBEAT_INTERVAL_MS;

    /** Longest claim timeout accepted (one day). */
    public static final long MAX_CLAIM_TIMEOUT_MS = TimeUnit.DAYS.toMillis(1);

    /**
     * How long after a claim was first seen blocking the head its owner is first judged, and how long after a judgement
     * of alive it is judged again (a kill(2) and a /proc read). A claim is normally committed within microseconds.
     */
    public static final long JUDGE_INTERVAL_MS = 50;

    private static final long NOT_STUCK = -1;
    /** Tries at the padding after the wrap while revoked producers' late claims come and go there (each try follows one). */
    private static final int MAX_LATE_CLAIMS = 64;
    private static final String ROLE = "consumer";

    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final ProducerTable table;
    private final EndLifecycle lifecycle;
    private final RingWakeups wakeups;
    /** This consumer's counters in the file (docs/LAYOUT.md 2.4), written once per poll batch. */
    private final EndCounters counters;
    private final WakeCondition readable = this::isReadableOrEnded;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    private final long claimTimeoutMs;
    /** Told of each recovery, or null: the count in the file ({@link #recoveredClaims()}) is then the only record. */
    private final ClaimRecoveryListener recoveryListener;

    private long head;
    /** A tail read since the head last moved past it (validated against the head): committed frames end below it. */
    private long tailCache;
    private long stuckPosition = NOT_STUCK;
    /** When the head was first seen blocked at {@link #stuckPosition} (CLOCK_MONOTONIC ms). */
    private long stuckSinceMs;
    private long nextCheckMs;
    /**
     * When {@link #watchBlockedHead} last read the tail (CLOCK_MONOTONIC ms): an idle poll reads it at most once a
     * millisecond, so a consumer spinning on an empty ring, or on a claim being written, does not pull the tail's cache
     * line away from the producers' tail CAS at every poll.
     */
    private long tailWatchMs = Long.MIN_VALUE;
    /** The stream word if, when this consumer attached, that stream had ended with nothing left to read and no producer; else -1. */
    private final long staleEnd;

    /**
     * A consumer with the {@link #DEFAULT_CLAIM_TIMEOUT_MS default claim timeout} whose {@link #take} uses
     * {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an MPSC ring file.
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws AlreadyAttachedException  if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's positions are impossible (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public MpscConsumer(final RingFile file)
    {
        this(file, DEFAULT_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * A consumer with the {@link #DEFAULT_CLAIM_TIMEOUT_MS default claim timeout}.
     *
     * @param file         an MPSC ring file.
     * @param waitStrategy how {@link #take} waits; this consumer's own instance.
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws AlreadyAttachedException  if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the ring's positions are impossible (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public MpscConsumer(final RingFile file, final WaitStrategy waitStrategy)
    {
        this(file, DEFAULT_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS, waitStrategy);
    }

    /**
     * A consumer whose {@link #take} uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file         an MPSC ring file.
     * @param claimTimeout how long a claim may block the head before an owner judged dead by its
     *                     heartbeat alone (docs/LAYOUT.md 6.1 point 5) loses it, in {@code unit}.
     * @param unit         unit of {@code claimTimeout}.
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws IllegalArgumentException  if the timeout is out of range.
     * @throws AlreadyAttachedException if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the head, tail or a release target a killed consumer left are impossible
     *                                   (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public MpscConsumer(final RingFile file, final long claimTimeout, final TimeUnit unit)
    {
        this(file, claimTimeout, unit, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an MPSC ring file.
     * @param claimTimeout how long a claim may block the head before an owner judged dead by its
     *                     heartbeat alone (docs/LAYOUT.md 6.1 point 5) loses it, in {@code unit}.
     * @param unit         unit of {@code claimTimeout}.
     * @param waitStrategy how {@link #take} waits; this consumer's own instance.
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws IllegalArgumentException  if the timeout is out of range.
     * @throws AlreadyAttachedException if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the head, tail or a release target a killed consumer left are impossible
     *                                   (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public MpscConsumer(final RingFile file, final long claimTimeout, final TimeUnit unit, final WaitStrategy waitStrategy)
    {
        this(file, claimTimeout, unit, waitStrategy, null);
    }

    /**
     * @param file             an MPSC ring file.
     * @param claimTimeout     how long a claim may block the head before an owner judged dead by its heartbeat alone
     *                         (docs/LAYOUT.md 6.1 point 5) loses it, in {@code unit}.
     * @param unit             unit of {@code claimTimeout}.
     * @param waitStrategy     how {@link #take} waits; this consumer's own instance.
     * @param recoveryListener told of each claim this consumer recovers (the range it skips), before the next message;
     *                         null to only count them ({@link #recoveredClaims()}).
     * @throws IncompatibleRingException if the file is not MPSC (field {@code kind}).
     * @throws IllegalArgumentException  if the timeout is out of range.
     * @throws AlreadyAttachedException if another live consumer is attached.
     * @throws RingGoneException         if the ring was retired (deleted as idle) meanwhile.
     * @throws CorruptRingException      if the head, tail or a release target a killed consumer left are impossible
     *                                   (the role is released again).
     * @throws io.shmring.core.ClosedException if the file is closed.
     * @throws IllegalStateException     if the file was opened read-only.
     */
    public MpscConsumer(final RingFile file, final long claimTimeout, final TimeUnit unit, final WaitStrategy waitStrategy,
        final ClaimRecoveryListener recoveryListener)
    {
        file.requireKind(RingKind.MPSC, "MpscConsumer");
        this.recoveryListener = recoveryListener;
        this.claimTimeoutMs = checkClaimTimeout(unit.toMillis(claimTimeout));
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.capacity = file.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = file.maxMessageLength();
        this.table = new ProducerTable(file);
        this.wakeups = new RingWakeups(file, waitStrategy);
        file.checkAttachable();
        final long ownerWord = EndLifecycle.attachExclusive(file, CONSUMER_PARTY_OFFSET, ROLE);
        EndLifecycle.awaitLive(file, file.partyRecord(CONSUMER_PARTY_OFFSET), ownerWord);
        this.head = finishInterruptedRelease(ownerWord);
        this.tailCache = head;
        // an end with nothing left to read and no producer attached belongs to an earlier stream (docs/LAYOUT.md 5.8); the
        // loads in isEndOfStream's order and strength: a producer that joined before that end landed is seen holding a slot
        final long stream = control.getLongVolatile(STREAM_OFFSET); // volatile: before the tail and the slots
        this.staleEnd = StreamWord.isEnded(stream) && head == control.getLongAcquire(TAIL_OFFSET) && // acquire: claims
            !table.hasHeldSlot() ? stream : -1;
        this.counters = new EndCounters(control, RingDescriptor.CONSUMER_COUNTERS_OFFSET); // ours now: the role is held
        wakeups.countInto(counters);
        this.lifecycle = EndLifecycle.start(file, CONSUMER_PARTY_OFFSET, ownerWord, ROLE, false, false, () -> { }, () -> { });
    }

    /**
     * A consumer killed while releasing consumed frames left the target of that release above the head, and some of
     * the bytes below it zeroed (docs/LAYOUT.md section 5.6): finish the release, so the head does not stay on a
     * zeroed header that no producer slot covers. Those frames were delivered before the release began.
     *
     * @param ownerWord this consumer's owner word, to give the role back if the ring is corrupt.
     * @return the head to resume from.
     * @throws CorruptRingException if the head, tail or release target are impossible.
     */
    private long finishInterruptedRelease(final long ownerWord)
    {
        final long head = control.getLongAcquire(HEAD_OFFSET); // acquire: resume where a previous consumer stopped
        final long target = control.getLongAcquire(RELEASE_TARGET_OFFSET); // acquire: stored before the zeroing began
        final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: the target never passes the tail
        EndLifecycle.refuseIfCorrupt(file, CONSUMER_PARTY_OFFSET, ownerWord, RingFrames.checkPositions(file, head, tail));
        EndLifecycle.refuseIfCorrupt(file, CONSUMER_PARTY_OFFSET, ownerWord, table.checkSlots());
        if (target <= head)
        {
            return head;
        }
        EndLifecycle.refuseIfCorrupt(file, CONSUMER_PARTY_OFFSET, ownerWord, RingFrames.checkReleaseTarget(file, head, tail));
        this.head = head;
        zero(head, target);
        control.putLongRelease(HEAD_OFFSET, target); // release: the zeroing finishes before producers reuse the bytes
        wakeups.signalNotFull(); // full fence after the head store, then the waiter count: space freed, as by any release
        return target;
    }

    /**
     * @param claimTimeoutMs a claim timeout in ms.
     * @return the timeout.
     * @throws IllegalArgumentException unless in [{@link #MIN_CLAIM_TIMEOUT_MS}, {@link #MAX_CLAIM_TIMEOUT_MS}].
     */
    public static long checkClaimTimeout(final long claimTimeoutMs)
    {
        if (claimTimeoutMs < MIN_CLAIM_TIMEOUT_MS || claimTimeoutMs > MAX_CLAIM_TIMEOUT_MS)
        {
            throw new IllegalArgumentException("claim timeout must be in " + MIN_CLAIM_TIMEOUT_MS + ".." +
                MAX_CLAIM_TIMEOUT_MS + " ms: claimTimeoutMs=" + claimTimeoutMs);
        }
        return claimTimeoutMs;
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
        if (!lifecycle.isOpen())
        {
            lifecycle.checkOpen();
        }
        if (!lifecycle.holdsRole())
        {
            throw lifecycle.roleLost(); // taken over while stopped: deliver nothing the new consumer may have had
        }
        final long head = this.head;
        final long end = head + capacity;
        long position = head;
        int delivered = 0;
        long payloadBytes = 0;
        try
        {
            while (delivered < limit && position < end)
            {
                final int index = (int)position & mask;
                final long header = data.getLongVolatile(index); // volatile: a positive length makes the frame's bytes visible
                final int frameLength = FrameHeader.length(header);
                if (frameLength <= 0)
                {
                    checkStop(position, header);
                    break;
                }
                final int typeId = FrameHeader.typeId(header);
                position += checkedAlignedLength(position, index, frameLength, typeId);
                if (typeId != PADDING_TYPE_ID)
                {
                    delivered++;
                    payloadBytes += frameLength - HEADER_LENGTH;
                    handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                }
            }
        }
        finally
        {
            consumeTo(position);
            counters.countMessages(delivered, payloadBytes); // once per batch, off the per-message path
        }
        afterPoll(position == head);
        if (position == head && lifecycle.isRingGoneSettled() && head == loadTail()) // nothing claimed, nothing left
        {
            throw lifecycle.ringGoneDrained();
        }
        return delivered;
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        if (!lifecycle.isOpen())
        {
            lifecycle.checkOpen();
        }
        if (!lifecycle.holdsRole())
        {
            throw lifecycle.roleLost(); // taken over while stopped: deliver nothing the new consumer may have had
        }
        final long head = this.head;
        final long end = head + capacity;
        long position = head;
        int consumed = 0;
        long payloadBytes = 0;
        try
        {
            while (consumed < limit && position < end)
            {
                final int index = (int)position & mask;
                final long header = data.getLongVolatile(index); // volatile: a positive length makes the frame's bytes visible
                final int frameLength = FrameHeader.length(header);
                if (frameLength <= 0)
                {
                    checkStop(position, header);
                    break;
                }
                final int typeId = FrameHeader.typeId(header);
                final int alignedLength = checkedAlignedLength(position, index, frameLength, typeId);
                if (typeId == PADDING_TYPE_ID)
                {
                    position += alignedLength;
                    continue;
                }
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
                    consumeTo(position);
                }
            }
        }
        finally
        {
            consumeTo(position);
            counters.countMessages(consumed, payloadBytes); // once per batch, off the per-message path
        }
        afterPoll(position == head);
        if (position == head && lifecycle.isRingGoneSettled() && head == loadTail()) // nothing claimed, nothing left
        {
            throw lifecycle.ringGoneDrained();
        }
        return consumed;
    }

    /**
     * Deliver at least one message, waiting by this consumer's wait strategy, up to {@code timeout}, for
     * one to be committed. An interrupt ends a sleep within a slice (20 ms with the default waits; 100 ms once the end
     * is idle: its waits timed out back to back for a second, or one wait has slept a second). While it waits, a claim
     * blocking the head is judged and recovered as {@link #poll} would.
     *
     * @return messages delivered; 0 if the timeout passed or the stream ended (see {@link #isEndOfStream()}).
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
     * Recover the claim blocking the head now, without waiting for the claim timeout and without judging
     * its owner: the operator's override for an owner that liveness cannot judge. A live owner whose claim
     * is taken gets a {@link ClaimRecoveredException} from its commit and the message is never delivered;
     * one still writing its payload may write into space the ring has reused. Call from the polling thread. A recovery
     * is counted and told to the {@link ClaimRecoveryListener} as any other.
     *
     * @return true if a claim was turned into padding; false if the head is not blocked by a claim, or is
     *         blocked by a claim whose header was never written and no producer slot records its range.
     */
    public boolean unblock()
    {
        lifecycle.checkOpen();
        return recover(head, true, true);
    }

    /**
     * @return how long, in ms, a claim may block the head before an owner judged dead by its heartbeat alone loses it
     *         (as constructed); an owner known dead for certain loses it at the first judgement.
     */
    public long claimTimeoutMs()
    {
        return claimTimeoutMs;
    }

    /**
     * @return claims turned into padding because their producer died (or by {@link #unblock()}), over the
     *         ring's life.
     */
    public long recoveredClaims()
    {
        return file.recoveredClaims();
    }

    /**
     * @return entries in the producer table.
     */
    public int producerSlots()
    {
        return table.slots();
    }

    /**
     * @param slot index in the producer table.
     * @return pid of the producer registered there (in its own pid namespace), 0 if the slot is free.
     */
    public long producerPid(final int slot)
    {
        return PartyDescriptor.pid(table.ownerWord(checkSlot(slot)));
    }

    /**
     * @param slot    index in the producer table.
     * @param timeout longest heartbeat age still taken as alive.
     * @param unit    unit of {@code timeout}.
     * @return true if a producer holds the slot, is alive by the liveness rules (docs/LAYOUT.md section 6) and its
     *         heartbeat is no older than {@code timeout}. Reads /proc.
     */
    public boolean isProducerAlive(final int slot, final long timeout, final TimeUnit unit)
    {
        return table.isAlive(checkSlot(slot), unit.toMillis(timeout));
    }

    /**
     * @return true when nothing is waiting to be read now (uncommitted claims count as waiting).
     */
    public boolean isEmpty()
    {
        return head == loadTail();
    }

    /**
     * @return true once the stream has ended (its last producer closed; docs/LAYOUT.md section 5.8), no slot is held by
     *         a live producer, and everything up to the tail has been consumed. An end that this consumer found when
     *         it attached, with nothing left to read, belongs to an earlier stream and is not reported. Reads /proc for
     *         slots that still record a pid.
     */
    @Override
    public boolean isEndOfStream()
    {
        lifecycle.checkOpen();
        // volatile, and before the slots' owner words (volatile too): a producer that joined the stream before a late end
        // landed registered before its own read of the word, so a load of the word that sees the end sees its slot after
        final long stream = control.getLongVolatile(STREAM_OFFSET);
        if (!StreamWord.isEnded(stream) || stream == staleEnd)
        {
            return false;
        }
        return head == loadTail() && !table.hasHeldSlot(); // the tail covers the last claims
    }

    /**
     * @return true if, when this consumer attached, the stream had ended with nothing left to read and no producer
     *         attached: that end is an earlier stream's and is not reported. For tests of the end of stream.
     */
    boolean remembersEarlierEnd()
    {
        return staleEnd != -1;
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

    /**
     * Release consumed frames: store the target, zero them, then release the head; producers claim only zeroed space.
     * The target, stored first, lets the next consumer finish a release this one was killed in the middle of.
     */
    private void consumeTo(final long position)
    {
        final long head = this.head;
        if (position != head)
        {
            if (!lifecycle.holdsRole())
            {
                throw lifecycle.roleLost(); // the bytes are the new consumer's now: never zero them, never move the head
            }
            control.putLongOpaque(RELEASE_TARGET_OFFSET, position); // opaque: ordered before the zeroing by the fence below
            VarHandle.storeStoreFence(); // the target reaches memory before any zeroed byte does (a kill in between)
            zero(head, position);
            this.head = position;
            control.putLongRelease(HEAD_OFFSET, position); // release: our reads and the zeroing finish before producers reuse the bytes
            wakeups.signalNotFull(); // full fence after the head store, then the waiter count: wakes producers waiting for space
        }
    }

    private void zero(final long from, final long to)
    {
        final int index = (int)from & mask;
        final int length = (int)(to - from);
        final int toEnd = capacity - index;
        if (length <= toEnd)
        {
            zeroWords(index, length);
        }
        else
        {
            zeroWords(index, toEnd);
            zeroWords(0, length - toEnd);
        }
    }

    /**
     * One whole 8-byte store per word (docs/LAYOUT.md 5.6): a revoked producer's late header CAS may hit any of these
     * words, and must meet either the old value or zero, never half of each. setMemory promises no store width (HotSpot
     * fills 8-aligned ranges with 8-byte stores, but from a C++ loop in JDK 17 and a stub since JDK 23: nothing a
     * program can rely on).
     */
    private void zeroWords(final int index, final int length)
    {
        for (int i = index, end = index + length; i < end; i += Long.BYTES)
        {
            data.putLongOpaque(i, 0L); // opaque: atomic, so never split or merged into wider or narrower stores
        }
    }

    /**
     * Beat, and while the head makes no progress past an uncommitted claim, time it from when it was
     * first seen there and judge its owner every {@link #JUDGE_INTERVAL_MS}.
     */
    private void afterPoll(final boolean noProgress)
    {
        if (!noProgress)
        {
            return;
        }
        final long position = head;
        final long header = data.getLongVolatile((int)position & mask); // volatile: pairs with the claim header CAS
        watchBlockedHead(position, header, nowMs());
    }

    /**
     * The wait condition of {@link #take}: a committed frame (or padding) at the head, or the end of the
     * stream. A claim blocking the head is watched as by {@link #afterPoll}, so a sleeping consumer recovers
     * a dead producer's claim (making the head readable) on the same schedule as a polling one.
     */
    private boolean isReadableOrEnded()
    {
        if (!lifecycle.isOpen())
        {
            return true; // closed (perhaps by another thread) or the role lost: the wait ends, and the poll after it throws
        }
        final long position = head;
        final long header = data.getLongVolatile((int)position & mask); // volatile: a positive length makes the frame's bytes visible
        if (FrameHeader.length(header) > 0)
        {
            return true;
        }
        checkStop(position, header); // a negative length no producer could write is corruption now, not a claim to wait on
        if (watchBlockedHead(position, header, nowMs()))
        {
            return FrameHeader.length(data.getLongVolatile((int)position & mask)) > 0; // volatile: recovered into padding?
        }
        return isEndOfStream() || lifecycle.isRingGoneSettled();
    }

    /**
     * Time a claim blocking the head from when it was first seen there; judge its owner {@link #JUDGE_INTERVAL_MS} after
     * that, and again every {@link #JUDGE_INTERVAL_MS} while it lives. A verdict of dead by the heartbeat alone counts
     * only once the claim timeout has passed since it was first seen (docs/LAYOUT.md 5.7 Detecting).
     *
     * @param position the head.
     * @param header   the frame header read at the head, not committed.
     * @param nowMs    the time now.
     * @return true if the head is blocked by a claim (committed since, or recovered, or not).
     */
    private boolean watchBlockedHead(final long position, final long header, final long nowMs)
    {
        if (FrameHeader.length(header) >= 0 && header != 0)
        {
            stuckPosition = NOT_STUCK;
            return false;
        }
        // only below the tail: a claim at a head that is the tail is a revoked producer's late claim in free space,
        // taken back within a few instructions (docs/LAYOUT.md 5.3); padding it would put padding past the tail. The
        // tail only grows, so a cached tail above the head settles it; otherwise it is read at most once a millisecond
        // (5.7 Detecting), and between those reads the watch neither starts nor resets: a judgement comes at most that
        // much later, against a first judgement after 50 ms
        if (tailCache <= position)
        {
            if (nowMs == tailWatchMs)
            {
                return false;
            }
            tailWatchMs = nowMs;
            tailCache = loadTail();
            if (tailCache <= position)
            {
                stuckPosition = NOT_STUCK;
                return false;
            }
        }
        if (position != stuckPosition)
        {
            stuckPosition = position;
            stuckSinceMs = nowMs;
            nextCheckMs = nowMs + JUDGE_INTERVAL_MS;
        }
        else if (nowMs - nextCheckMs >= 0 && !recover(position, false, nowMs - stuckSinceMs >= claimTimeoutMs))
        {
            nextCheckMs = nowMs + JUDGE_INTERVAL_MS;
        }
        return true;
    }

    /**
     * Turn the claim at {@code position} into padding if its owner is dead (or if {@code force}).
     *
     * @param heartbeatVerdicts true once the claim timeout has passed: an owner judged dead by its heartbeat alone is
     *                          dead too.
     * @return true if it was recovered.
     */
    private boolean recover(final long position, final boolean force, final boolean heartbeatVerdicts)
    {
        final int index = (int)position & mask;
        final long header = data.getLongVolatile(index); // volatile: pairs with the producer's header CAS
        final int length = FrameHeader.length(header);
        if (loadTail() <= position)
        {
            return false; // free space: a claim there is a late one, which its producer takes back (docs/LAYOUT.md 5.7)
        }
        if (length < 0)
        {
            return recoverClaim(position, index, header, force, heartbeatVerdicts);
        }
        if (header == 0) // the tail covers a reserved range
        {
            return recoverReservation(position, index, force, heartbeatVerdicts);
        }
        return false;
    }

    private boolean recoverClaim(
        final long position, final int index, final long header, final boolean force, final boolean heartbeatVerdicts)
    {
        final int marker = FrameHeader.typeId(header);
        checkStop(position, header);
        final int alignedLength = (int)FrameDescriptor.align(-(long)FrameHeader.length(header)); // checked: <= capacity
        if (!force && !table.isClaimOwnerDead(marker, heartbeatVerdicts))
        {
            return false;
        }
        if (!data.compareAndSetLong(index, header, FrameHeader.padding(alignedLength))) // CAS: a racing commit or abort wins instead
        {
            return false;
        }
        countRecovery(position, alignedLength, ClaimMarker.slot(marker));
        return true;
    }

    /**
     * A zero header below the tail: a producer moved the tail and has not written the header yet. The slot
     * recording that range says whose it is and where it ends.
     */
    private boolean recoverReservation(final long position, final int index, final boolean force, final boolean heartbeatVerdicts)
    {
        final int slot = table.findReservation(position);
        if (slot == ProducerTable.NO_SLOT && !force)
        {
            // a zero header no slot covers can never be written (docs/LAYOUT.md 5.7): producers record a range before
            // their tail CAS and end it only after their header CAS, so this holds at any judgement
            final CorruptRingException stall = RingFrames.checkReservationCovered(file, position);
            if (stall != null)
            {
                throw lifecycle.corruptUnlessRoleLost(stall);
            }
        }
        if (slot == ProducerTable.NO_SLOT || (!force && table.isCoveringSlotHeld(position, heartbeatVerdicts)))
        {
            return false;
        }
        final long[] coveringEnds = new long[table.slots()]; // off the hot path: a recovery of a dead owner's range
        if (table.coveringReservations(position, coveringEnds) > 1)
        {
            return recoverOverlappingReservations(position, index, coveringEnds);
        }
        final long end = table.reservationEnd(slot);
        if (end <= position || end - position > capacity || table.reservationStart(slot) > position ||
            ((end - position) & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            return false; // the slot moved on meanwhile, or holds no usable range
        }
        final int length = (int)(end - position);
        final int toEnd = capacity - index;
        final int first = Math.min(length, toEnd);
        if (!data.compareAndSetLong(index, 0L, FrameHeader.padding(first))) // CAS: a late header write by the owner wins instead
        {
            return false;
        }
        if (length > first)
        {
            padAfterWrap(position + first, length - first);
        }
        // Before this padding is consumed and re-zeroed: an owner still running must learn that its range is gone,
        // or its late header CAS from 0 could succeed behind the head and a "committed" message would be lost. A failed
        // CAS means the owner ended its reservation after its header CAS met the padding: it claims anew (5.4 step 4).
        table.revokeReservation(slot, end);
        countRecovery(position, length, slot);
        return true;
    }

    /**
     * A zero header below the tail that more than one slot's range covers, every holder judged dead (or forced):
     * docs/LAYOUT.md 5.7 case b, step 1. Only one of them is the range a producer really reserved there (its tail CAS
     * took it whole); the others are stale, recorded by producers whose tail CAS failed, and may end inside it. The
     * padding goes to the lowest covering end that is a frame boundary, which is the real range's end (a stale end inside
     * it is none: nothing is written there before the real owner's header, and no range starts there), then every covering
     * range ending there or below is revoked before the padding is consumed: nothing covers the space afterwards, so the
     * real owner, should it still run, must find its range revoked (5.4 step 4) and withdraw a late header it lands behind
     * the head.
     *
     * @param position     the head, whose frame header was zero.
     * @param index        its data index.
     * @param coveringEnds per slot, the end of its range covering {@code position}, or 0.
     * @return true if the space was turned into padding.
     * @throws CorruptRingException if no covering end is a frame boundary and the header is still zero (nothing padded).
     */
    private boolean recoverOverlappingReservations(final long position, final int index, final long[] coveringEnds)
    {
        final long tail = loadTail(); // a frame boundary; read before the slots and headers that name the others
        long boundary = -1;
        for (long candidate = position; boundary < 0; )
        {
            long next = Long.MAX_VALUE;
            for (final long end : coveringEnds)
            {
                next = end > candidate && end < next ? end : next;
            }
            if (next == Long.MAX_VALUE)
            {
                break;
            }
            candidate = next;
            boundary = isFrameBoundary(position, candidate, tail) ? candidate : -1;
        }
        if (boundary < 0)
        {
            if (data.getLongVolatile(index) != 0) // volatile: the real owner's header went in before its range ended
            {
                return false;
            }
            throw lifecycle.corruptUnlessRoleLost(new CorruptRingException(file.path(), "frame header", position, 0,
                "a zero header below the tail that several producer ranges cover must have one ending at a frame boundary " +
                "(the tail, a written header, a recorded range's start): tail=" + tail + " ends=" + describeEnds(coveringEnds)));
        }
        final int length = (int)(boundary - position); // at most the tail: <= capacity
        final int first = Math.min(length, capacity - index);
        if (!data.compareAndSetLong(index, 0L, FrameHeader.padding(first))) // CAS: a late header write by the owner wins instead
        {
            return false;
        }
        if (length > first)
        {
            padAfterWrap(position + first, length - first);
        }
        // every covering range up to the padding's end, before the padding is consumed and re-zeroed: the real owner's
        // is one (which is not known) and must not cover the space afterwards. A failed CAS means that holder moved its
        // range on (5.7 b step 6). A range ending past the padding is stale, and its end may be that of the next range
        // its holder records above the tail: a revocation would take that real range away.
        int named = -1;
        for (int slot = 0; slot < coveringEnds.length; slot++)
        {
            if (coveringEnds[slot] != 0 && coveringEnds[slot] <= boundary)
            {
                table.revokeReservation(slot, coveringEnds[slot]);
                named = named < 0 || coveringEnds[slot] == boundary ? slot : named; // the slot whose range ended there
            }
        }
        countRecovery(position, length, named);
        return true;
    }

    /**
     * Is {@code end}, a covering range's end, a frame boundary: the tail, or the start of a range a slot records, or a
     * position whose header was written? Checked in that order: a producer records its range before its tail CAS and
     * ends it only after its header CAS, so a range past the head missed in the slots has its header written when read
     * after them. A revoked producer's late claim (5.3) marks nothing: it lands on any zero word and is withdrawn.
     */
    private boolean isFrameBoundary(final long position, final long end, final long tail)
    {
        if (end > tail || ((end - position) & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            return false; // past the tail nothing is reserved yet; positions are multiples of 8
        }
        if (end == tail || table.recordsRangeStartingAt(end, position))
        {
            return true;
        }
        final long header = data.getLongVolatile((int)end & mask); // volatile: after the slots' acquire loads
        return header != 0 && !table.isRevokedProducersClaim(header);
    }

    private static String describeEnds(final long[] coveringEnds)
    {
        final StringBuilder ends = new StringBuilder("[");
        for (final long end : coveringEnds)
        {
            if (end != 0)
            {
                ends.append(ends.length() > 1 ? ", " : "").append(end);
            }
        }
        return ends.append(']').toString();
    }

    /**
     * The part of a recovered range after the ring's end (docs/LAYOUT.md 5.7 case b, step 5): padding at data index 0. The
     * owner writes nothing there (its frame goes there only after its wrap claim, which the padding at the range's start
     * took), but a revoked producer's late claim may (5.3): a claim found there is one, about to be withdrawn, so the
     * padding takes its place (its withdrawal then fails) or, once withdrawn, goes in from 0.
     *
     * @param position the range's position at data index 0.
     * @param length   bytes of the range from there.
     * @throws CorruptRingException if index 0 holds anything but 0 or a claim, or late claims keep coming.
     */
    private void padAfterWrap(final long position, final int length)
    {
        final long padding = FrameHeader.padding(length);
        long found = 0;
        for (int attempt = 0; attempt < MAX_LATE_CLAIMS; attempt++)
        {
            if (data.compareAndSetLong(0, 0L, padding)) // CAS from 0: a late claim landing at the same moment wins instead
            {
                return;
            }
            found = data.getLongVolatile(0); // volatile: what beat our CAS
            if (found == 0)
            {
                continue; // the late claim was withdrawn meanwhile
            }
            if (FrameHeader.length(found) >= 0 ||
                RingFrames.checkClaim(file, position, FrameHeader.length(found), FrameHeader.typeId(found)) != null)
            {
                break; // not a claim a producer could have written
            }
            if (data.compareAndSetLong(0, found, padding)) // CAS: replaces a late claim; its withdrawal now fails
            {
                return;
            }
        }
        throw lifecycle.corruptUnlessRoleLost(new CorruptRingException(file.path(), "frame header", position, found,
            "a recovered range's part after the ring's end must hold 0 or a revoked producer's late claim"));
    }

    /**
     * After a recovery: count it in the file, and tell the listener (the range is never delivered: a loss).
     */
    private void countRecovery(final long position, final long skippedBytes, final int slot)
    {
        stuckPosition = NOT_STUCK;
        control.putLongRelease(RECOVERED_CLAIMS_OFFSET, control.getLong(RECOVERED_CLAIMS_OFFSET) + 1); // release: the one writer publishes the count
        if (recoveryListener != null)
        {
            recoveryListener.onClaimRecovered(position, skippedBytes, slot);
        }
    }

    /**
     * A committed frame: type id {@code >= 0} with {@code 8 <= length <= 8 + max message length}, or padding (type
     * id -1) a positive multiple of 8; either within the data region and below the tail (docs/LAYOUT.md section 5.6).
     * A few compares on values in registers; the tail is read (acquire) only when a frame passes the one last read.
     *
     * @return its aligned length.
     * @throws CorruptRingException naming the broken rule; nothing past {@code position} was consumed.
     */
    private int checkedAlignedLength(final long position, final int index, final int frameLength, final int typeId)
    {
        final int alignedLength;
        if (typeId >= 0 && FrameDescriptor.isValidFrameLength(frameLength, maxMessageLength))
        {
            alignedLength = (frameLength + FrameDescriptor.ALIGNMENT - 1) & -FrameDescriptor.ALIGNMENT; // <= capacity/2: no overflow
        }
        else if (typeId == PADDING_TYPE_ID && (frameLength & (FrameDescriptor.ALIGNMENT - 1)) == 0)
        {
            alignedLength = frameLength; // positive here
        }
        else
        {
            throw corruptFrame(position, frameLength, typeId);
        }
        if (alignedLength > capacity - index ||
            (position + alignedLength > tailCache && position + alignedLength > (tailCache = loadTail())))
        {
            throw corruptFrame(position, frameLength, typeId);
        }
        return alignedLength;
    }

    /**
     * Where a poll stops: a zero header (free, or reserved without a header yet), or an open claim, whose header must
     * carry a claim marker of a table slot and a length the claim could have (checked only here, off the hot path).
     *
     * @throws CorruptRingException if a negative length is not such a claim.
     */
    private void checkStop(final long position, final long header)
    {
        if (FrameHeader.length(header) < 0)
        {
            final CorruptRingException corrupt = RingFrames.checkClaim(file, position, FrameHeader.length(header), FrameHeader.typeId(header));
            if (corrupt != null)
            {
                throw lifecycle.corruptUnlessRoleLost(corrupt);
            }
        }
    }

    /**
     * @return the tail (acquire: pairs with the producers' tail CAS), checked against the head: 8-aligned and
     *         {@code 0 <= tail - head <= capacity}. No other consumer moves the head, so any other pair is corruption.
     * @throws CorruptRingException if it is out of range.
     */
    private long loadTail()
    {
        final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: pairs with the producers' tail CAS
        if ((tail & (FrameDescriptor.ALIGNMENT - 1)) != 0 || tail - head < 0 || tail - head > capacity)
        {
            throw lifecycle.corruptUnlessRoleLost(RingFrames.checkPositions(file, head, tail));
        }
        return tail;
    }

    private RuntimeException corruptFrame(final long position, final int frameLength, final int typeId)
    {
        final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: to describe the frame against the latest tail
        final CorruptRingException corrupt = RingFrames.checkFrame(file, position, tail, frameLength, typeId);
        return lifecycle.corruptUnlessRoleLost(corrupt != null ? corrupt : new CorruptRingException(file.path(), "frame length",
            position, frameLength, "frame rejected with typeId=" + typeId + " tail=" + tail));
    }

    private int checkSlot(final int slot)
    {
        if (slot < 0 || slot >= table.slots())
        {
            throw new IllegalArgumentException("slot must be in 0.." + (table.slots() - 1) + ": slot=" + slot);
        }
        return slot;
    }

    /**
     * @return CLOCK_MONOTONIC ms: how long a claim has blocked the head is measured on it.
     */
    private static long nowMs()
    {
        return System.nanoTime() / 1_000_000;
    }
}
