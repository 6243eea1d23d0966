package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.shmring.core.FrameDescriptor.ALIGNMENT;
import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;

/**
 * The structural rules of a ring's positions and frames (docs/LAYOUT.md sections 1, 3, 5 and 5.9), as one
 * place that names the broken rule. Consumers test the same rules inline with a few compares per frame and come here
 * only to describe a failure; {@code stat} walks a live ring with them. All arithmetic is 64-bit.
 * Stateless, thread-safe.
 */
public final class RingFrames
{
    /** Snapshots of head, release target and tail taken before a live ring's positions or release target are called corrupt. */
    private static final int RING_SNAPSHOTS = 3;
    /** Pause between re-reads of shared state that a live ring may be changing (release target, ring state 2). */
    private static final long SNAPSHOT_PAUSE_NS = 1_000_000;

    private RingFrames()
    {
    }

    /**
     * Head and tail: non-negative, multiples of 8, and {@code 0 <= tail - head <= capacity}.
     *
     * @param file the ring.
     * @param head a head position.
     * @param tail a tail position read after it.
     * @return null if the pair is possible, else the exception naming the field.
     */
    public static CorruptRingException checkPositions(final RingFile file, final long head, final long tail)
    {
        if (head < 0 || (head & (ALIGNMENT - 1)) != 0)
        {
            return new CorruptRingException(file.path(), "head", -1, head, "positions are non-negative multiples of " + ALIGNMENT);
        }
        if (tail < 0 || (tail & (ALIGNMENT - 1)) != 0)
        {
            return new CorruptRingException(file.path(), "tail", -1, tail, "positions are non-negative multiples of " + ALIGNMENT);
        }
        if (tail - head < 0 || tail - head > file.capacity())
        {
            return new CorruptRingException(file.path(), "tail", -1, tail,
                "tail - head must be in 0..capacity: head=" + head + " capacity=" + file.capacity());
        }
        return null;
    }

    /**
     * {@link #checkPositions} for a reader that moves neither end (an inspection, an end attaching beside live ones):
     * between its read of the head and its read of the tail, the consumer and the producers may move both, so the
     * tail can pass the head it read by more than the capacity on a healthy ring. A broken pair is read again (head,
     * then tail) and is corruption only if every snapshot breaks the rule.
     *
     * @param file the ring.
     * @param head a head position.
     * @param tail a tail position read after it.
     * @return null if a snapshot is possible, else the exception naming the field in the last one.
     */
    public static CorruptRingException checkPositionsOfLiveRing(final RingFile file, final long head, final long tail)
    {
        return inEverySnapshot(file, head, 0, tail, (h, target, t) -> checkPositions(file, h, t));
    }

    /**
     * A committed frame (in an MPSC ring, a positive length) at {@code position}, below {@code tail}.
     * SPSC and broadcast: padding fills the data region to its end exactly; MPSC: padding is a positive multiple of 8 that does not
     * cross the end. Any other frame: type id {@code >= 0}, {@code 8 <= length <= 8 + max message length}, and its
     * aligned length neither crosses the end of the data region nor passes the tail.
     *
     * @param file     the ring.
     * @param position the frame's position (a multiple of 8).
     * @param tail     the tail it must lie below.
     * @param length   its length field.
     * @param typeId   its type id field.
     * @return null if the frame is valid, else the exception naming the field.
     */
    public static CorruptRingException checkFrame(
        final RingFile file, final long position, final long tail, final int length, final int typeId)
    {
        final int capacity = file.capacity();
        final int index = (int)(position & (capacity - 1));
        final long aligned;
        if (typeId == PADDING_TYPE_ID)
        {
            if (file.kind() != RingKind.MPSC && length != capacity - index)
            {
                return new CorruptRingException(file.path(), "frame length", position, length,
                    file.kind() + " padding (type id -1) fills the data region to its end: expected " + (capacity - index) + " at index=" + index);
            }
            if (length < HEADER_LENGTH || (length & (ALIGNMENT - 1)) != 0 || length > capacity - index)
            {
                return new CorruptRingException(file.path(), "frame length", position, length,
                    "padding is a multiple of " + ALIGNMENT + " in 8.." + (capacity - index) + " at index=" + index);
            }
            aligned = length;
        }
        else if (typeId < 0)
        {
            return new CorruptRingException(file.path(), "type id", position, typeId,
                "negative type ids other than padding (-1) are reserved; a committed frame cannot carry one");
        }
        else if (!FrameDescriptor.isValidFrameLength(length, file.maxMessageLength()))
        {
            return new CorruptRingException(file.path(), "frame length", position, length,
                "must be in " + HEADER_LENGTH + ".." + (HEADER_LENGTH + (long)file.maxMessageLength()) + " (8 + max message length)");
        }
        else
        {
            aligned = FrameDescriptor.align(length);
            if (index + aligned > capacity)
            {
                return new CorruptRingException(file.path(), "frame length", position, length,
                    "frame crosses the end of the data region: index=" + index + " capacity=" + capacity);
            }
        }
        if (position + aligned > tail)
        {
            return new CorruptRingException(file.path(), "frame length", position, length, "frame ends past the tail=" + tail);
        }
        return null;
    }

    /**
     * SPSC: padding is written only when the next frame does not fit before the wrap, in the same publication, so a
     * frame that fits in the padding's space follows it at data index 0.
     *
     * @param file          the ring.
     * @param position      position of the frame after the padding (data index 0).
     * @param tail          the tail.
     * @param paddingLength length of the padding before it.
     * @param nextLength    length field of the frame at {@code position}, if {@code position < tail}.
     * @return null if the padding was needed, else the exception naming the padding's length.
     */
    public static CorruptRingException checkPaddingNeeded(
        final RingFile file, final long position, final long tail, final int paddingLength, final int nextLength)
    {
        if (position >= tail)
        {
            return new CorruptRingException(file.path(), "frame length", position - paddingLength, paddingLength,
                "SPSC padding is published together with the frame after it, but it ends at the tail=" + tail);
        }
        if (nextLength >= 0 && FrameDescriptor.align(nextLength) <= paddingLength)
        {
            return new CorruptRingException(file.path(), "frame length", position - paddingLength, paddingLength,
                "SPSC padding is written only for a frame that does not fit before the wrap; the next frame's length is " +
                nextLength);
        }
        return null;
    }

    /**
     * MPSC: an open claim (negative length) at {@code position}: its type id is a claim marker naming a slot of the
     * table, and {@code -length} is a frame length that does not cross the end of the data region.
     *
     * @param file     the ring (MPSC).
     * @param position the claim's position.
     * @param length   its length field, negative.
     * @param typeId   its type id field.
     * @return null if the claim header is possible, else the exception naming the field.
     */
    public static CorruptRingException checkClaim(final RingFile file, final long position, final int length, final int typeId)
    {
        final int capacity = file.capacity();
        final int index = (int)(position & (capacity - 1));
        if (!ClaimMarker.isMarker(typeId) || ClaimMarker.slot(typeId) >= file.producerSlots())
        {
            return new CorruptRingException(file.path(), "claim marker", position, typeId,
                "a negative length marks an open claim, whose type id is a claim marker of one of the " +
                file.producerSlots() + " producer slots");
        }
        final long frameLength = -(long)length;
        if (!FrameDescriptor.isValidFrameLength((int)Math.min(frameLength, Integer.MAX_VALUE), file.maxMessageLength()) ||
            index + FrameDescriptor.align(frameLength) > capacity)
        {
            return new CorruptRingException(file.path(), "frame length", position, length,
                "an open claim's length is -(8..8 + max message length) and does not cross the end of the data region");
        }
        return null;
    }

    /**
     * MPSC: the producer slot an open claim names (docs/LAYOUT.md 5.3: the claim marker's low 12 bits).
     *
     * @param typeId the type id field of a claim header that passed {@link #checkClaim}.
     * @return the slot.
     */
    public static int claimSlot(final int typeId)
    {
        return ClaimMarker.slot(typeId);
    }

    /**
     * MPSC: the producer slots whose recorded reservation covers {@code position} (docs/LAYOUT.md 5.7 b: more than one
     * when a stale range overlaps the real one), by the rule the consumer's recovery applies. Reads only.
     *
     * @param file     the ring (MPSC).
     * @param position a ring position, e.g. a head whose frame header is zero.
     * @return the covering slots, ascending; empty if none.
     */
    public static List<Integer> coveringSlots(final RingFile file, final long position)
    {
        final long[] ends = new long[file.producerSlots()];
        new ProducerTable(file).coveringReservations(position, ends);
        final List<Integer> covering = new ArrayList<>();
        for (int slot = 0; slot < ends.length; slot++)
        {
            if (ends[slot] != 0)
            {
                covering.add(slot);
            }
        }
        return List.copyOf(covering);
    }

    /**
     * MPSC: does an open claim belong to the slot's present holder (docs/LAYOUT.md 5.7 a step 2)? A claim made by an
     * earlier holder of the slot is its dead owner's, whoever holds the slot now.
     *
     * @param typeId          the type id field of a claim header that passed {@link #checkClaim}.
     * @param ownerGeneration the generation in the slot's owner word now.
     * @return true if the claim marker names that generation (its low bits).
     */
    public static boolean isClaimOfGeneration(final int typeId, final int ownerGeneration)
    {
        return ClaimMarker.isOfGeneration(typeId, ownerGeneration);
    }

    /**
     * The ring's shared state as every end checks it when it attaches, and as {@code stat} checks it: head and tail,
     * the ring state, and for MPSC the producer slots' reservation ends, the release target and the header at the
     * head (docs/LAYOUT.md 5.9). One rule set, so an inspection never calls fine a ring an end refuses.
     * Reads only; racing live ends it reports only states no live end can leave (each rule says why).
     *
     * A broadcast ring has its own rules (docs/LAYOUT.md 7.8): the ring state, its tail, floor (lossless) or tail intent
     * (lossy), and its consumer slots' positions.
     *
     * @param file the ring.
     * @return null if consistent, else the first broken rule.
     */
    public static CorruptRingException checkConsistent(final RingFile file)
    {
        if (file.kind() == RingKind.BROADCAST)
        {
            return BroadcastChecks.checkConsistent(file);
        }
        final long head = file.consumerPosition();
        final long tail = file.producerPosition();
        CorruptRingException corrupt = checkPositionsOfLiveRing(file, head, tail);
        if (corrupt == null)
        {
            corrupt = checkRingState(file);
        }
        if (corrupt == null && file.kind() == RingKind.MPSC)
        {
            corrupt = new ProducerTable(file).checkSlots();
            if (corrupt == null)
            {
                corrupt = checkReleaseTarget(file, head, tail);
            }
            // a release a killed consumer left unfinished resumes at its target: the zeroed headers below it are not a stall
            final long resume = Math.max(head, file.buffer().getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET)); // acquire: as above
            if (corrupt == null && tail > resume)
            {
                corrupt = checkReservationCovered(file, resume);
            }
        }
        return corrupt;
    }

    /**
     * The ring state is 0 live, 1 retiring or 2 retired (docs/LAYOUT.md 2.2, 2.3).
     *
     * @param file the ring.
     * @return null if it is one of the three, else the exception naming the field.
     */
    public static CorruptRingException checkRingState(final RingFile file)
    {
        final int state = file.buffer().getIntVolatile(RingDescriptor.RING_STATE_OFFSET); // volatile: the deleter's store
        if (state < RingDescriptor.RING_LIVE || state > RingDescriptor.RING_RETIRED)
        {
            return new CorruptRingException(file.path(), "ring state", -1, state, "0 live, 1 retiring or 2 retired");
        }
        if (state == RingDescriptor.RING_RETIRED)
        {
            // 2 means deleted (docs/LAYOUT.md 2.2): a deleter stores it just before it unlinks; give it that long
            final long deadline = System.nanoTime() + EndLifecycle.RETIRED_UNLINK_WAIT_NS;
            while (file.isStillAtPath())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return retiredButPresent(file);
                }
                LockSupport.parkNanos(SNAPSHOT_PAUSE_NS);
            }
        }
        return null;
    }

    /**
     * @return what a ring whose state says deleted (2) while it is still at its path is: what the ends refuse at attach
     *         and {@code stat} reports.
     */
    private static CorruptRingException retiredButPresent(final RingFile file)
    {
        return new CorruptRingException(file.path(), "ring state", -1, RingDescriptor.RING_RETIRED, "2 (retired) means " +
            "deleted, yet the file is still at its path " + TimeUnit.NANOSECONDS.toMillis(EndLifecycle.RETIRED_UNLINK_WAIT_NS) +
            " ms later; delete it or store 0 to use it again");
    }

    /**
     * MPSC: a release target above the head is where a consumer killed while releasing was going (docs/LAYOUT.md 5.6):
     * a multiple of 8 above the head, at most capacity above it and at most the tail.
     *
     * @param file the ring.
     * @param head the head.
     * @param tail the tail, read after the head.
     * @return null if possible, else the exception naming the field.
     */
    public static CorruptRingException checkReleaseTarget(final RingFile file, final long head, final long tail)
    {
        // the head and tail given were read before the target, so a consumer releasing meanwhile can put its target past
        // that tail: hence the snapshots
        final long target = file.buffer().getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET); // acquire: stored before the zeroing
        return inEverySnapshot(file, head, target, tail, (h, tg, t) -> releaseTargetInvalid(tg, h, t, file.capacity()) ?
            new CorruptRingException(file.path(), "release target", -1, tg, "above the head it is a multiple of 8 at most " +
                "capacity above it and at most the tail: head=" + h + " tail=" + t + " capacity=" + file.capacity()) : null);
    }

    /**
     * A rule over one snapshot of a live ring's head, release target and tail.
     */
    @FunctionalInterface
    private interface SnapshotRule
    {
        /**
         * @return null if the snapshot keeps the rule, else the exception naming the broken field.
         */
        CorruptRingException check(long head, long target, long tail);
    }

    /**
     * A live ring moves between reads: apply the rule to the values given and, while it finds them broken, to up to
     * {@link #RING_SNAPSHOTS} - 1 fresh snapshots {@link #SNAPSHOT_PAUSE_NS} apart, read in the order that cannot
     * disagree (head, then release target, then tail: head <= target <= tail held at the target's read). Only a
     * violation that stays in every snapshot is corruption. Allocates only when a snapshot breaks the rule.
     *
     * @return null if some snapshot keeps the rule, else the last snapshot's exception.
     */
    private static CorruptRingException inEverySnapshot(
        final RingFile file, final long head, final long target, final long tail, final SnapshotRule rule)
    {
        CorruptRingException corrupt = rule.check(head, target, tail);
        for (int snapshot = 1; corrupt != null && snapshot < RING_SNAPSHOTS; snapshot++)
        {
            LockSupport.parkNanos(SNAPSHOT_PAUSE_NS);
            final long h = file.buffer().getLongAcquire(RingDescriptor.HEAD_OFFSET); // acquire: before the target's read below
            // acquire: as above; an SPSC ring's reserved field, read and unused by its rules
            final long tg = file.buffer().getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET);
            final long t = file.buffer().getLongAcquire(RingDescriptor.TAIL_OFFSET); // acquire: read after the target
            corrupt = rule.check(h, tg, t);
        }
        return corrupt;
    }

    private static boolean releaseTargetInvalid(final long target, final long head, final long tail, final int capacity)
    {
        return target > head && (target > tail || target - head > capacity || ((target - head) & (ALIGNMENT - 1)) != 0);
    }

    /**
     * MPSC: a zero header at {@code position}, below the tail, must lie in a range a producer slot records: its owner
     * has moved the tail and not yet written the header (docs/LAYOUT.md 5.7 case b). If no slot records one, no producer
     * can ever write that header, and the consumer would wait there for ever. Racing live producers this reports
     * nothing false: a producer records its range before its tail CAS and ends it only after its header CAS, so once
     * the slots are read after the tail, a header still zero when read again after them is covered or never will be.
     *
     * @param file     an MPSC ring.
     * @param position a frame boundary in {@code [head, tail)}.
     * @return null if the header is not zero, the tail is not past it, or a slot covers it; else the exception.
     */
    public static CorruptRingException checkReservationCovered(final RingFile file, final long position)
    {
        final int index = (int)(position & (file.capacity() - 1));
        if (file.data().getLongVolatile(index) != 0) // volatile: pairs with the producers' header CAS
        {
            return null;
        }
        final long tail = file.buffer().getLongAcquire(RingDescriptor.TAIL_OFFSET); // acquire: the ranges recorded before it
        if (tail <= position || new ProducerTable(file).coversAny(position))
        {
            return null;
        }
        if (file.data().getLongVolatile(index) != 0) // volatile: a header CAS before its reservation ended
        {
            return null;
        }
        // a consumer zeroes what it consumed before it moves the head, after storing its release target: either moved past
        // the position means the zero is a consumed frame's (an inspection racing a live consumer), not a stall
        if (Math.max(file.consumerPosition(), file.buffer().getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET)) > position)
        {
            return null;
        }
        return new CorruptRingException(file.path(), "frame header", position, 0, "zero below the tail (" + tail + ") and no " +
            "producer slot records a range covering it: no producer can ever write it, nothing past it can be delivered");
    }
}
