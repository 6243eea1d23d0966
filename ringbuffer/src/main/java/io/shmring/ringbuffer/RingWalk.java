package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.locks.LockSupport;

import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;

/**
 * The walk a producer makes once, when it attaches and before it writes anything (docs/LAYOUT.md 5.9 <i>Tail on a frame
 * boundary</i>): from where the consumers read (SPSC and MPSC: the head, or a release target a killed consumer left above
 * it; lossless broadcast: the floor; lossy broadcast: the oldest intact checkpoint) through every frame below the tail,
 * which the walk must reach exactly. A tail set by hand inside a committed frame passes every range check, yet a
 * producer would write its next frame (or, MPSC, a padding header) over that frame's bytes, and the consumer would then
 * deliver the damaged frame as valid.
 * <p>
 * Bounded: a walk takes at most {@code capacity / 8} steps (the positions are checked first and every step moves at least
 * 8 bytes), and at most {@link #WALKS} walks are made. A live ring changes under the walk (the consumer zeroes and moves
 * the head of an MPSC ring, other producers claim and commit): each walk reads the positions afresh, a failed MPSC walk
 * the consumer passed meanwhile is no verdict (it may have read bytes zeroed or reused since), and only a walk that
 * fails every time is corruption. Reads only. Stateless, thread-safe; not for hot paths.
 */
final class RingWalk
{
    /** Walks over fresh snapshots before a ring is called corrupt (or, while its head keeps moving, fine). */
    static final int WALKS = 3;
    /** Pause between two walks. */
    private static final long WALK_PAUSE_NS = 1_000_000;

    /**
     * What a walk found when the ring moved under it (the MPSC consumer zeroed a frame the walk was about to read):
     * no verdict; walk again from the new head.
     */
    private static final CorruptRingException MOVED = new CorruptRingException(null, "head", -1, -1, "moved during the walk");

    private RingWalk()
    {
    }

    /**
     * @param file a ring this process is attaching to as a producer (it holds the role: an SPSC or broadcast ring's
     *             frames then stay as they are; an MPSC ring's other producers and consumer may still move).
     * @return null if the tail is a frame boundary reached from where the consumers read (or the ring kept moving under
     *         every walk: no evidence against it), else what the last walk found.
     */
    static CorruptRingException checkTailReachable(final RingFile file)
    {
        CorruptRingException found = null;
        for (int walk = 0; walk < WALKS; walk++)
        {
            if (walk > 0)
            {
                LockSupport.parkNanos(WALK_PAUSE_NS);
            }
            found = walkOnce(file);
            if (found == null)
            {
                return null;
            }
        }
        return found == MOVED ? null : found;
    }

    private static CorruptRingException walkOnce(final RingFile file)
    {
        final AtomicBuffer control = file.buffer();
        if (file.kind() == RingKind.BROADCAST)
        {
            final long tail = control.getLongAcquire(RingDescriptor.TAIL_OFFSET); // acquire: frames below it are whole
            final CorruptRingException badTail = BroadcastChecks.checkTail(file, tail);
            if (badTail != null)
            {
                return badTail;
            }
            final long start;
            if (file.broadcastPolicy() == BroadcastPolicy.LOSSLESS)
            {
                start = control.getLongVolatile(BroadcastDescriptor.FLOOR_OFFSET); // volatile: as the producer's recompute stores it
                final CorruptRingException badFloor = BroadcastChecks.checkFloor(file, start, tail);
                if (badFloor != null)
                {
                    return badFloor;
                }
            }
            else
            {
                final long intent = control.getLongAcquire(BroadcastDescriptor.TAIL_INTENT_OFFSET); // acquire: read after the tail
                final CorruptRingException badIntent = BroadcastChecks.checkIntent(file, intent, tail);
                if (badIntent != null)
                {
                    return badIntent;
                }
                start = BroadcastChecks.oldestCheckpoint(file, tail, intent);
            }
            return walkTailFrames(file, start, tail);
        }
        final long head = control.getLongAcquire(RingDescriptor.HEAD_OFFSET); // acquire: the consumer's zeroing below it is done
        final long target = control.getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET); // acquire: read after the head
        final long tail = control.getLongAcquire(RingDescriptor.TAIL_OFFSET); // acquire: read after both; frames below it are whole
        final CorruptRingException badPositions = RingFrames.checkPositions(file, head, tail);
        if (badPositions != null)
        {
            return file.kind() == RingKind.MPSC ? MOVED : badPositions; // MPSC: the pair may be from two moments
        }
        if (file.kind() == RingKind.SPSC)
        {
            return walkTailFrames(file, head, tail);
        }
        // a release a killed consumer left unfinished resumes at its target, a frame boundary; the bytes below it are zero
        final boolean resumeAtTarget = target > head && target <= tail && target - head <= file.capacity() &&
            ((target - head) & (FrameDescriptor.ALIGNMENT - 1)) == 0;
        final long start = resumeAtTarget ? target : head;
        final CorruptRingException found = walkMpscFrames(file, start, tail);
        return found == null || found == MOVED || !consumerPassed(control, start) ? found : MOVED;
    }

    /**
     * Whether the MPSC consumer began releasing frames at or above {@code start} since the walk read its positions: then
     * bytes the walk read may have been zeroed, or, once the head passed them, reused by producers for the next lap (a
     * payload read as a header, or a stale producer-slot range followed to a boundary of the last lap), so what the walk
     * found is no verdict. Bytes the consumer has not released stay as committed, so a walk the consumer did not pass
     * judges the ring.
     */
    private static boolean consumerPassed(final AtomicBuffer control, final long start)
    {
        // acquire, after the walk's volatile header reads: a reuse the walk saw came after a head store it now sees
        final long head = control.getLongAcquire(RingDescriptor.HEAD_OFFSET);
        final long target = control.getLongAcquire(RingDescriptor.RELEASE_TARGET_OFFSET); // acquire: stored before the zeroing
        return head > start || target > start;
    }

    /**
     * SPSC and broadcast frames, written by one producer (this one, now): padding only to the end of the data region, for
     * a frame after it that did not fit there.
     */
    private static CorruptRingException walkTailFrames(final RingFile file, final long start, final long tail)
    {
        final UnsafeBuffer data = file.data();
        final int mask = file.capacity() - 1;
        long position = start;
        while (position < tail) // bounded: tail - start <= capacity (checked by the caller) and each step moves 8 bytes or more
        {
            final int index = (int)(position & mask);
            final int length = data.getInt(index + FrameDescriptor.LENGTH_OFFSET); // plain: ordered by the acquire of the tail
            final int typeId = data.getInt(index + FrameDescriptor.TYPE_ID_OFFSET); // plain: as above
            final CorruptRingException bad = RingFrames.checkFrame(file, position, Long.MAX_VALUE, length, typeId);
            if (bad != null)
            {
                return bad;
            }
            final long next = position + (typeId == PADDING_TYPE_ID ? length : FrameDescriptor.align(length));
            if (next > tail)
            {
                return tailInsideFrame(file, start, position, length, tail);
            }
            if (typeId == PADDING_TYPE_ID)
            {
                final int nextLength = next < tail ? data.getInt(FrameDescriptor.LENGTH_OFFSET) : -1; // plain: as above
                final CorruptRingException unneeded = RingFrames.checkPaddingNeeded(file, next, tail, length, nextLength);
                if (unneeded != null)
                {
                    return unneeded;
                }
            }
            position = next;
        }
        return null;
    }

    /**
     * MPSC frames: committed frames and padding, open claims (their length, negative, says how far they reach), and ranges
     * reserved whose header is not written yet (zero: the producer slot that records the range says where it ends).
     */
    private static CorruptRingException walkMpscFrames(final RingFile file, final long start, final long tail)
    {
        final UnsafeBuffer data = file.data();
        final int mask = file.capacity() - 1;
        final ProducerTable table = new ProducerTable(file);
        long position = start;
        while (position < tail) // bounded: tail - start <= capacity (checked by the caller) and each step moves 8 bytes or more
        {
            final int index = (int)(position & mask);
            final long header = data.getLongVolatile(index); // volatile: pairs with the producers' header CAS
            final int length = FrameHeader.length(header);
            final int typeId = FrameHeader.typeId(header);
            final long next;
            if (length > 0)
            {
                final CorruptRingException bad = RingFrames.checkFrame(file, position, Long.MAX_VALUE, length, typeId);
                if (bad != null)
                {
                    return bad;
                }
                next = position + (typeId == PADDING_TYPE_ID ? length : FrameDescriptor.align(length));
            }
            else if (length < 0)
            {
                final CorruptRingException bad = RingFrames.checkClaim(file, position, length, typeId);
                if (bad != null)
                {
                    return bad;
                }
                next = position + FrameDescriptor.align(-(long)length);
            }
            else
            {
                final int slot = table.findReservation(position);
                if (slot == ProducerTable.NO_SLOT)
                {
                    final CorruptRingException stall = RingFrames.checkReservationCovered(file, position);
                    return stall != null ? stall : MOVED; // null: the consumer zeroed it, or its header went in since
                }
                next = table.reservationEnd(slot);
                if (next <= position)
                {
                    return MOVED; // the range ended since: its header went in
                }
            }
            if (next > tail)
            {
                return tailInsideFrame(file, start, position, (int)Math.min(next - position, Integer.MAX_VALUE), tail);
            }
            position = next;
        }
        return null;
    }

    private static CorruptRingException tailInsideFrame(
        final RingFile file, final long start, final long position, final int length, final long tail)
    {
        return new CorruptRingException(file.path(), "tail", position, tail, "inside the frame at position=" + position +
            " (length=" + length + "): the tail is the boundary reached by walking the frames from position=" + start +
            ", and a producer would write over that frame's bytes");
    }
}
