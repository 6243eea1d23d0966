package io.shmring.examples.stat;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingFrames;
import io.shmring.ringbuffer.RingKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Counts the frames between a live ring's head and tail by walking their headers, reading only, by the rules a
 * consumer applies ({@link RingFrames}). The consumer may move the head (and overwrite nothing it has not consumed)
 * while the walk runs: a walk is kept only if the head did not move during it. The walk is bounded: the positions are
 * checked first ({@code tail - head <= capacity}) and every step moves at least 8 bytes.
 *
 * @param messages       committed application frames pending (padding not counted), or -1 if unknown.
 * @param openClaims     MPSC claims reserved but not yet committed.
 * @param unwrittenBytes bytes of MPSC reservations whose header is not written yet (length 0).
 * @param corruption     the first broken rule found (messages then counts the valid frames before it), or null.
 * @param headBlock      MPSC: what blocks the consumer at its head (an open claim, or a reservation whose header is not
 *                       written yet: nothing behind it is delivered until it is committed or recovered), or null.
 */
public record PendingFrames(long messages, long openClaims, long unwrittenBytes, CorruptRingException corruption,
    HeadBlock headBlock)
{
    private static final int ATTEMPTS = 5;
    private static final PendingFrames UNKNOWN = new PendingFrames(-1, 0, 0, null, null);

    /**
     * An uncommitted frame at an MPSC ring's head (docs/LAYOUT.md 5.7 Detecting): the consumer waits for it to be
     * committed, and recovers it once its owner is judged dead.
     *
     * @param position the head, in bytes since the ring was created.
     * @param claim    true for an open claim (its header written, negative length), false for a reserved range whose
     *                 header is not written yet.
     * @param typeId   a claim's type id field (its claim marker: slot and generation), 0 for a reservation.
     * @param slots    the producer slots it may belong to: the claim marker's for a claim; for a reservation every slot
     *                 whose recorded range covers the head (more than one when a stale range overlaps the real one,
     *                 LAYOUT 5.7 b); empty if none records it.
     */
    public record HeadBlock(long position, boolean claim, int typeId, List<Integer> slots)
    {
    }

    /**
     * @param ring a validated ring.
     * @return the pending frames, {@link #isKnown() unknown} if the consumer kept moving (or the ring is a broadcast
     *         ring, whose frames belong to each consumer at its own position: see each one's lag), or the corruption
     *         found.
     */
    public static PendingFrames count(final RingFile ring)
    {
        final CorruptRingException inconsistent = RingFrames.checkConsistent(ring); // what the ends refuse at attach
        final boolean broadcast = ring.kind() == RingKind.BROADCAST;
        if (inconsistent != null)
        {
            return new PendingFrames(broadcast ? -1 : 0, 0, 0, inconsistent, null);
        }
        if (broadcast)
        {
            return UNKNOWN; // not walked
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            final long head = ring.consumerPosition();
            final PendingFrames walked = walk(ring, head, ring.producerPosition());
            if (ring.consumerPosition() == head)
            {
                return walked;
            }
        }
        return UNKNOWN;
    }

    private static PendingFrames walk(final RingFile ring, final long head, final long tail)
    {
        final CorruptRingException badPositions = RingFrames.checkPositions(ring, head, tail);
        if (badPositions != null)
        {
            return new PendingFrames(0, 0, 0, badPositions, null);
        }
        final UnsafeBuffer data = ring.data();
        final int mask = ring.capacity() - 1;
        final boolean mpsc = ring.kind() == RingKind.MPSC;
        long messages = 0;
        long openClaims = 0;
        HeadBlock headBlock = null;
        long position = head;
        while (position < tail) // bounded: at most capacity / 8 steps
        {
            final int index = (int)(position & mask);
            final int length = data.getIntVolatile(index + FrameDescriptor.LENGTH_OFFSET); // volatile: racing a writer
            final int typeId = data.getIntVolatile(index + FrameDescriptor.TYPE_ID_OFFSET); // volatile: as above
            if (mpsc && length == 0)
            {
                // a reservation whose header is not written yet: its extent is only in the producer table (if none records
                // it, the ring is stalled there for ever)
                if (position == head)
                {
                    headBlock = new HeadBlock(head, false, 0, RingFrames.coveringSlots(ring, head));
                }
                return new PendingFrames(messages, openClaims, tail - position, RingFrames.checkReservationCovered(ring, position),
                    headBlock);
            }
            final boolean claim = mpsc && length < 0;
            final CorruptRingException bad = claim ?
                RingFrames.checkClaim(ring, position, length, typeId) : RingFrames.checkFrame(ring, position, tail, length, typeId);
            if (bad != null)
            {
                return new PendingFrames(messages, openClaims, 0, bad, headBlock);
            }
            if (claim)
            {
                openClaims++;
                headBlock = position == head ? new HeadBlock(head, true, typeId, List.of(RingFrames.claimSlot(typeId))) : headBlock;
            }
            else if (typeId != FrameDescriptor.PADDING_TYPE_ID)
            {
                messages++;
            }
            position += FrameDescriptor.align(Math.abs((long)length)); // checked above: a frame length in range
        }
        return new PendingFrames(messages, openClaims, 0, null, headBlock);
    }

    /**
     * @return true if the walk completed without finding corruption.
     */
    public boolean isKnown()
    {
        return messages >= 0 && corruption == null;
    }
}
