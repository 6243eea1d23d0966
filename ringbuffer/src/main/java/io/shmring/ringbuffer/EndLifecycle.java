package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.ClosedException;
import io.shmring.core.internal.MappedRegion;
import io.shmring.core.Publisher;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.internal.PartyHeartbeat;
import io.shmring.ringbuffer.internal.PartyRecord;
import io.shmring.ringbuffer.liveness.PartyStatus;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * What every ring end (SPSC producer, MPSC producer, consumer) shares about being attached: its party record
 * and owner word, the heartbeat the JVM's timer keeps for it, and one state that every call checks first —
 * open, closed, taken over by another process (this one looked dead), or, for producers, ring gone (the
 * file was deleted or replaced, or its consumer retired it). Closing the {@link RingFile} closes its ends
 * through here, so a call after either close throws instead of touching memory that may be unmapped.
 */
final class EndLifecycle implements PartyHeartbeat.Listener
{
    static final int OPEN = 0;
    static final int CLOSED = 1;
    static final int OWNERSHIP_LOST = 2;
    static final int RING_GONE = 3;

    private static final long ATTACHING_POLL_NS = 1_000_000;
    /** How long an attaching producer waits for a consumer deciding whether to delete the ring as idle. */
    private static final long RETIRING_WAIT_NS = 5_000_000_000L;
    /** Longest a file marked retired may stay at its path (a forced delete unlinks right after marking it). */
    static final long RETIRED_UNLINK_WAIT_NS = 200_000_000L;

    private final RingFile file;
    private final String role;
    private final PartyRecord record;
    private final long ownerWord;
    private final boolean producer;
    private final Runnable beforeRelease;
    private final Runnable afterRelease;
    private final PartyHeartbeat heartbeat;
    private volatile int state = OPEN;
    private volatile String goneReason;
    /** Set by close: see {@link #streamBrokeOff()}; read by the close actions it runs. */
    private boolean streamBrokeOff;
    /** Set when this producer found its ring corrupt ({@link #brokeOff}) or gave up ({@link #breakOff}): its close then ends no stream. */
    private volatile boolean brokenOff;
    /** When a consumer's beat first found its ring gone (System.nanoTime); written before {@link #goneReason}. */
    private volatile long goneSinceNs;
    private boolean goneReported;
    /**
     * What this beat's stat of the path found: written by {@link #isMappingIntact()}, read by {@link #onBeat()} right
     * after it in the same beat (the heartbeat's timer thread, under the heartbeat's lock).
     */
    private MappedRegion.PathState beatPathState;
    /** True once a consumer found its gone ring empty (then the exception says all was delivered); written under this. */
    private volatile boolean drained;

    private EndLifecycle(
        final RingFile file, final String role, final PartyRecord record, final long ownerWord, final boolean producer,
        final Runnable beforeRelease, final Runnable afterRelease)
    {
        this.file = file;
        this.role = role;
        this.record = record;
        this.ownerWord = ownerWord;
        this.producer = producer;
        this.beforeRelease = beforeRelease;
        this.afterRelease = afterRelease;
        // a ring in direct memory is seen by this process alone: no other process judges its heartbeat
        this.heartbeat = file.path() == null ? null : PartyHeartbeat.start(record, ownerWord, this);
    }

    /**
     * Attach to an exclusive role (the SPSC producer, the consumer): take the record over if it is free or its
     * holder is dead; wait while a process is in the middle of attaching (it is alive unless it stays so for the
     * staleness period); refuse a live holder.
     *
     * @param file         the ring.
     * @param recordOffset file offset of the role's party record.
     * @param role         the role's name, for messages.
     * @return this process's owner word in the record.
     * @throws AlreadyAttachedException if a live process holds the role.
     */
    static long attachExclusive(final RingFile file, final int recordOffset, final String role)
    {
        final PartyRecord record = file.partyRecord(recordOffset);
        long attachingOwner = PartyRecord.NOT_ATTACHED;
        long attachingSinceMs = 0;
        while (true)
        {
            final PartyStatus holder = record.judge();
            switch (holder.liveness())
            {
                case FREE:
                case DEAD:
                {
                    final long mine = record.takeOver(holder.ownerWord());
                    if (mine != PartyRecord.NOT_ATTACHED)
                    {
                        return mine;
                    }
                    break; // the word moved on: judge the new holder
                }
                case ALIVE:
                    throw new AlreadyAttachedException(file.path(), role, holder);
                case ATTACHING:
                {
                    final long nowMs = record.host().nowMs();
                    if (holder.ownerWord() != attachingOwner)
                    {
                        attachingOwner = holder.ownerWord();
                        attachingSinceMs = nowMs;
                    }
                    else if (nowMs - attachingSinceMs > record.host().staleAfterMs())
                    {
                        // it took the role and never wrote a heartbeat in the whole staleness period: it died there
                        final long mine = record.takeOver(attachingOwner);
                        if (mine != PartyRecord.NOT_ATTACHED)
                        {
                            return mine;
                        }
                    }
                    LockSupport.parkNanos(ATTACHING_POLL_NS);
                    break;
                }
                default:
                    throw new IllegalStateException("unknown liveness: " + holder.liveness());
            }
        }
    }

    /**
     * One of several equal roles (a slot of a table) taken by this process.
     *
     * @param slot      index of the slot.
     * @param ownerWord this process's owner word in the slot's party record.
     */
    record Attachment(int slot, long ownerWord)
    {
    }

    /**
     * Attach to the first of several equal roles (the consumer slots of a broadcast ring) that is free or whose
     * holder is dead; a slot held by a live process, or one in the middle of attaching, is passed over.
     *
     * @param file         the ring.
     * @param slots        how many slots there are.
     * @param recordOffset file offset of a slot's party record.
     * @param role         the role's name, for messages.
     * @return the slot taken and this process's owner word in it.
     * @throws TableFullException if every slot is held.
     */
    static Attachment attachFirstAvailable(
        final RingFile file, final int slots, final IntUnaryOperator recordOffset, final String role)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final PartyRecord record = file.partyRecord(recordOffset.applyAsInt(slot));
            final PartyStatus holder = record.judge();
            if (holder.liveness() == PartyStatus.Liveness.FREE || holder.liveness() == PartyStatus.Liveness.DEAD)
            {
                final long mine = record.takeOver(holder.ownerWord());
                if (mine != PartyRecord.NOT_ATTACHED)
                {
                    return new Attachment(slot, mine);
                }
            }
        }
        throw new TableFullException(file.path(), role, slots);
    }

    /**
     * After taking a role: make sure the ring is not being retired (deleted as idle) by its consumer. The caller's
     * takeover CAS and fence come first and the consumer marks the ring retiring before it looks at the roles
     * (docs/LAYOUT.md section 2.3): either it sees this process and keeps the file, or this process sees the mark.
     *
     * @param file      the ring.
     * @param record    the record just taken.
     * @param ownerWord this process's owner word there.
     * @throws RingGoneException    if the ring was retired: the role is released again; open the path anew.
     * @throws CorruptRingException if the ring state is none of the three (the role is released again).
     */
    static void awaitLive(final RingFile file, final PartyRecord record, final long ownerWord)
    {
        final long deadline = System.nanoTime() + RETIRING_WAIT_NS;
        while (true)
        {
            final int state = file.buffer().getIntVolatile(RingDescriptor.RING_STATE_OFFSET); // volatile: after our takeover CAS
            if (state == RingDescriptor.RING_LIVE)
            {
                refuseIfInconsistent(file, record, ownerWord);
                return;
            }
            if (state != RingDescriptor.RING_RETIRING)
            {
                // 2 (deleted) or no state at all: the one check stat makes too waits for a deleter's unlink and names
                // a value that is no state
                final CorruptRingException corrupt = RingFrames.checkRingState(file);
                if (corrupt == null && file.buffer().getIntVolatile(RingDescriptor.RING_STATE_OFFSET) == RingDescriptor.RING_LIVE) // volatile: as above
                {
                    continue; // made live again since our read (an operator's store of 0, as that check's message says)
                }
                record.release(ownerWord);
                if (corrupt != null)
                {
                    throw corrupt;
                }
                throw new RingGoneException(file.path(), "retired (deleted as idle or abandoned)");
            }
            if (System.nanoTime() - deadline > 0)
            {
                // a retiring consumer decides in microseconds: one stuck this long died in the middle; it deleted
                // nothing it had not marked retired, so the ring is live again (a deletion shows at the next beat)
                file.buffer().compareAndSetInt(RingDescriptor.RING_STATE_OFFSET, RingDescriptor.RING_RETIRING, // CAS: only the stuck mark
                    RingDescriptor.RING_LIVE);
            }
            LockSupport.parkNanos(ATTACHING_POLL_NS);
        }
    }

    /**
     * The checks {@code stat} makes too ({@link RingFrames#checkConsistent}), for every ring kind: a ring one of them
     * calls corrupt is refused by the other. The role is released first.
     */
    private static void refuseIfInconsistent(final RingFile file, final PartyRecord record, final long ownerWord)
    {
        final CorruptRingException corrupt = RingFrames.checkConsistent(file);
        if (corrupt != null)
        {
            record.release(ownerWord);
            throw corrupt;
        }
    }

    /**
     * After taking a role: refuse a ring whose state the end cannot work with, giving the role back first (so a
     * corrupt ring never keeps a role held by a process that is not using it).
     *
     * @param file         the ring.
     * @param recordOffset file offset of the role's party record.
     * @param ownerWord    this process's owner word there.
     * @param corrupt      what a check found, or null if the state is fine.
     * @throws CorruptRingException {@code corrupt}, if not null.
     */
    static void refuseIfCorrupt(final RingFile file, final int recordOffset, final long ownerWord, final CorruptRingException corrupt)
    {
        if (corrupt != null)
        {
            file.partyRecord(recordOffset).release(ownerWord);
            throw corrupt;
        }
    }

    /**
     * Start beating for a role this process has just taken.
     *
     * @param file          the ring.
     * @param recordOffset  file offset of the role's party record.
     * @param ownerWord     this process's owner word there.
     * @param role          the role's name, for messages.
     * @param producer      true for producers: a beat that finds the ring file gone (deleted, replaced at its path,
     *                      retired) ends the end at once; a consumer's goes on delivering what the file holds
     *                      ({@link #isRingGoneSettled()}).
     * @param shared        true if threads may share the end (the file then never unmaps at close).
     * @param beforeRelease the end's own close steps while it still holds the role (runs once, from {@link #close()}).
     * @param afterRelease  the end's close steps once the role is released.
     * @return the lifecycle, open.
     * @throws io.shmring.core.ClosedException if the file is closed (the role is released again).
     */
    static EndLifecycle start(
        final RingFile file, final int recordOffset, final long ownerWord, final String role, final boolean producer,
        final boolean shared, final Runnable beforeRelease, final Runnable afterRelease)
    {
        final PartyRecord record = file.partyRecord(recordOffset);
        final EndLifecycle lifecycle = new EndLifecycle(file, role, record, ownerWord, producer, beforeRelease, afterRelease);
        try
        {
            file.addEnd(lifecycle, shared);
        }
        catch (final RuntimeException ex)
        {
            lifecycle.stopHeartbeat();
            record.release(ownerWord);
            throw ex;
        }
        return lifecycle;
    }

    /**
     * @return this process's owner word in the role's record.
     */
    long ownerWord()
    {
        return ownerWord;
    }

    /**
     * @return true while the end may be used. One volatile read: the check every call starts with.
     */
    boolean isOpen()
    {
        return state == OPEN;
    }

    /**
     * @return true if this process still holds the role in shared memory: one acquire load, for the consumers' check
     *         before each batch they deliver and each head they store (docs/LAYOUT.md section 6.2).
     */
    boolean holdsRole()
    {
        return record.isHeldBy(ownerWord);
    }

    /**
     * The consumers' check before each batch they deliver and each position they store (docs/LAYOUT.md section 6.2):
     * one acquire load of the owner word.
     *
     * @throws RoleLostException if another process took the role over (the end is marked so first).
     */
    void checkHoldsRole()
    {
        if (!holdsRole())
        {
            throw roleLost();
        }
    }

    /**
     * The role's record names another attachment: this end lost its role (it was judged dead, e.g. while stopped
     * longer than the staleness period, and taken over). Marks the end so and returns what to throw.
     *
     * @return the ownership-lost exception (or the closed one, if the end was closed meanwhile).
     */
    RuntimeException roleLost()
    {
        casState(OWNERSHIP_LOST);
        return notOpen();
    }

    /**
     * What an end that found its ring corrupt throws: a head and tail that make no sense to it are what it sees once
     * another consumer took its role over and moved on, so it reports the lost role if it lost it, and the corruption
     * only while it still holds the role.
     *
     * @param corrupt what a check found.
     * @return {@code corrupt}, or the ownership-lost exception.
     */
    RuntimeException corruptUnlessRoleLost(final CorruptRingException corrupt)
    {
        if (state == OPEN && holdsRole())
        {
            return corrupt;
        }
        final RuntimeException lost = state == OPEN ? roleLost() : notOpen();
        lost.addSuppressed(corrupt);
        return lost;
    }

    /**
     * @throws io.shmring.core.ClosedException if the end (or its file) was closed.
     * @throws RoleLostException     if another process took the role over.
     * @throws RingGoneException     if the ring file is gone (producers).
     */
    void checkOpen()
    {
        if (state != OPEN)
        {
            throw notOpen();
        }
    }

    /**
     * For a call that returns a status: the first call after the ring was found gone gets
     * {@link Publisher#DESTINATION_GONE}; every later call, and every call in another state, throws. Call only
     * when {@link #isOpen()} is false. Not thread-safe for shared ends (a second thread may see the status too).
     *
     * @return {@link Publisher#DESTINATION_GONE}.
     */
    int refusal()
    {
        if (state == RING_GONE && !goneReported)
        {
            goneReported = true;
            return Publisher.DESTINATION_GONE;
        }
        throw notOpen();
    }

    /**
     * Close: run the end's close action (while the role is still held), stop the heartbeat, release the role.
     * Idempotent; also what closing the file does to ends still open.
     */
    void close()
    {
        synchronized (this)
        {
            if (state == CLOSED)
            {
                return;
            }
            // a file that shrank under the mapping is not touched again: an atomic access past its end kills the JVM
            final boolean held = state != OWNERSHIP_LOST && !file.isShorterThanMapped();
            // a producer whose file was deleted or replaced under it, that found it corrupt, or that gave up, broke off:
            // its stream did not end (below)
            streamBrokeOff = producer && held && (state == RING_GONE || file.goneReason() != null || brokenOff);
            state = CLOSED;
            try
            {
                if (held)
                {
                    beforeRelease.run();
                }
            }
            finally
            {
                stopHeartbeat();
                if (held)
                {
                    record.release(ownerWord);
                }
                file.removeEnd(this);
            }
            if (held)
            {
                afterRelease.run();
            }
        }
    }

    /**
     * For a producer's close actions: true if the ring file was deleted or replaced under this producer before it
     * closed, or this producer found the ring corrupt ({@link #brokeOff}) or gave up ({@link #breakOff}). Its stream
     * then did not end, it broke off:
     * the close writes no end of stream, so a consumer still reading a deleted file reports the ring gone once it has
     * read everything (docs/LAYOUT.md 2.3), and a consumer of a corrupt one waits as after a crash, never taking a
     * stream whose producer failed for a whole one.
     *
     * @return true if this producer's stream broke off.
     */
    boolean streamBrokeOff()
    {
        return streamBrokeOff;
    }

    /**
     * What a producer throws when it finds its ring corrupt while it publishes: remembered, so that its close ends no
     * stream ({@link #streamBrokeOff()}): the messages it was given after this were never published, and a consumer must
     * not take what it read for the whole stream.
     *
     * @param corrupt what a check found.
     * @return {@code corrupt}.
     */
    CorruptRingException brokeOff(final CorruptRingException corrupt)
    {
        brokenOff = true;
        return corrupt;
    }

    /**
     * For a producer that gives up before its input ended ({@link io.shmring.core.Publisher#closeBrokenOff()}): its
     * close, which must follow, ends no stream.
     */
    void breakOff()
    {
        brokenOff = true;
    }

    private void stopHeartbeat()
    {
        if (heartbeat != null)
        {
            heartbeat.stop();
        }
    }

    @Override
    public void onBeat()
    {
        if (state != OPEN || (!producer && goneReason != null))
        {
            return;
        }
        final String reason = file.goneReason(beatPathState); // the stat this beat's mapping check made
        if (reason != null)
        {
            goneSinceNs = System.nanoTime();
            goneReason = reason; // volatile: publishes goneSinceNs with it
            if (producer)
            {
                casState(RING_GONE);
            }
        }
    }

    /**
     * For consumers, on their empty path (a poll that found nothing): true once a beat found the ring file gone and
     * two heartbeat intervals have passed since, so every producer attached to the file has had a beat of its own to
     * find it gone and stop publishing into it; a consumer that finds its ring empty after that has delivered all it
     * will ever hold. One volatile read while the ring is in place.
     *
     * @return true if the consumer should report the ring gone once it is empty.
     */
    boolean isRingGoneSettled()
    {
        return goneReason != null &&
            System.nanoTime() - goneSinceNs > 2 * PartyDescriptor.HEARTBEAT_INTERVAL_MS * 1_000_000L;
    }

    /**
     * For a consumer that found its gone ring empty: the end becomes gone; every later call throws too.
     *
     * @return {@link RingGoneException#drained} (or the exception of the state the end was in meanwhile).
     */
    RuntimeException ringGoneDrained()
    {
        synchronized (this)
        {
            if (state == OPEN)
            {
                drained = true;
                state = RING_GONE;
            }
        }
        return notOpen();
    }

    @Override
    public void onOwnershipLost()
    {
        casState(OWNERSHIP_LOST);
    }

    @Override
    public boolean isMappingIntact()
    {
        beatPathState = file.examinePath(); // one stat per beat: onBeat's gone check reads it too
        return beatPathState != MappedRegion.PathState.SHRANK;
    }

    @Override
    public void onMappingLost()
    {
        goneReason = RingFile.SHRANK;
        casState(RING_GONE);
    }

    private synchronized void casState(final int newState)
    {
        if (state == OPEN)
        {
            state = newState;
        }
    }

    private RuntimeException notOpen()
    {
        switch (state)
        {
            case RING_GONE:
                return drained ? RingGoneException.drained(file.path(), goneReason) : new RingGoneException(file.path(), goneReason);
            case OWNERSHIP_LOST:
                return new RoleLostException(file.path(), role);
            default:
                return new ClosedException(role, file.path());
        }
    }
}
