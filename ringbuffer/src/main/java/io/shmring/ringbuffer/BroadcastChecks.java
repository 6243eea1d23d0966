package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import static io.shmring.ringbuffer.internal.BroadcastDescriptor.FLOOR_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.NOT_READING;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_INTENT_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.TAIL_OFFSET;

/**
 * The rules of a broadcast ring's shared positions (docs/LAYOUT.md 7.2, 7.8), in one place: the tail is a non-negative
 * multiple of 8; a lossless ring's floor is within {@code [tail - capacity, tail]}; a lossy ring's tail intent is a
 * multiple of 8 within {@code [tail, tail + capacity]}; a consumer slot's position is -1 or a multiple of 8 in
 * {@code [0, tail]}. {@link #checkConsistent} is what {@code stat} and {@code list} report and what both ends refuse at
 * attach; {@link #checkWhileWaiting} is what a consumer checks each time its wait condition is evaluated. All arithmetic
 * is 64-bit. Stateless, thread-safe; allocates only to describe a broken rule.
 */
final class BroadcastChecks
{
    private BroadcastChecks()
    {
    }

    /**
     * @param file a broadcast ring.
     * @param tail a tail read from it.
     * @return null if the tail is a non-negative multiple of 8, else the exception naming it.
     */
    static CorruptRingException checkTail(final RingFile file, final long tail)
    {
        if (tail < 0 || (tail & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            return new CorruptRingException(file.path(), "tail", -1, tail, "positions are non-negative multiples of " +
                FrameDescriptor.ALIGNMENT);
        }
        return null;
    }

    /**
     * Lossless: the floor never passes the tail and the producer never runs more than capacity past it.
     *
     * @param file  a lossless broadcast ring.
     * @param floor the floor.
     * @param tail  a tail at least as recent as the floor (the producer raises the floor only up to its tail).
     * @return null if {@code floor} is a multiple of 8 in {@code [max(0, tail - capacity), tail]}, else the exception.
     */
    static CorruptRingException checkFloor(final RingFile file, final long floor, final long tail)
    {
        if (floor < 0 || (floor & (FrameDescriptor.ALIGNMENT - 1)) != 0 || floor > tail || tail - floor > file.capacity())
        {
            return new CorruptRingException(file.path(), "floor", -1, floor, "the floor is a multiple of " +
                FrameDescriptor.ALIGNMENT + " in tail - capacity..tail: tail=" + tail + " capacity=" + file.capacity());
        }
        return null;
    }

    /**
     * Lossy: the producer stores its intent (the end of the frame it is about to write) before it writes below it, and
     * never more than capacity past its tail.
     *
     * @param file   a lossy broadcast ring.
     * @param intent the tail intent.
     * @param tail   a tail at least as old as the intent (the intent never goes down, so it is never below that tail).
     * @return null if {@code intent} is a multiple of 8 in {@code [tail, tail + capacity]}, else the exception.
     */
    static CorruptRingException checkIntent(final RingFile file, final long intent, final long tail)
    {
        if (intent - tail < 0 || intent - tail > file.capacity() || (intent & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            return new CorruptRingException(file.path(), "tail intent", -1, intent, "a multiple of " +
                FrameDescriptor.ALIGNMENT + " in tail..tail + capacity: tail=" + tail + " capacity=" + file.capacity());
        }
        return null;
    }

    /**
     * The shared positions as they are now, on a ring the producer may be moving: each value is compared only with a
     * value read in the order that makes the rule hold at every moment, and a distance that a producer racing ahead
     * could stretch is measured again against a later read. So no healthy ring is ever called corrupt, however late the
     * reader is, and a broken value is found on every read. Four to five loads of the producer's lines, a bad one.
     *
     * @param file a broadcast ring.
     * @return null if tail, floor (lossless) and tail intent (lossy) keep their rules, else the exception.
     */
    static CorruptRingException checkWhileWaiting(final RingFile file)
    {
        final AtomicBuffer control = file.buffer();
        if (file.broadcastPolicy() == BroadcastPolicy.LOSSLESS)
        {
            final long floor = control.getLongVolatile(FLOOR_OFFSET); // volatile: as the producer stores it; before the tail
            final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: after the floor, so never below it
            final CorruptRingException badTail = checkTail(file, tail);
            if (badTail != null || checkFloor(file, floor, tail) == null)
            {
                return badTail;
            }
            if (tail - floor <= file.capacity())
            {
                return checkFloor(file, floor, tail); // negative, not a multiple of 8, or above the tail: no race explains it
            }
            // the producer may have raised the floor and run on since it was read: the tail is at most capacity past the
            // floor at the moment of the tail's store, so at most capacity past a floor read after it
            final long later = control.getLongVolatile(FLOOR_OFFSET); // volatile: after the tail
            return tail - later > file.capacity() ? checkFloor(file, later, tail) : null;
        }
        final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: before the intent, so never above it
        final CorruptRingException badTail = checkTail(file, tail);
        if (badTail != null)
        {
            return badTail;
        }
        final long intent = control.getLongAcquire(TAIL_INTENT_OFFSET); // acquire: after the tail
        if (checkIntent(file, intent, tail) == null)
        {
            return null;
        }
        // the producer may have run on between the two reads: the intent is at most capacity past the tail of its moment,
        // so at most capacity past a tail read after it
        final long later = control.getLongAcquire(TAIL_OFFSET); // acquire: after the intent
        return intent - tail < 0 || (intent & (FrameDescriptor.ALIGNMENT - 1)) != 0 || intent - later > file.capacity() ?
            checkIntent(file, intent, intent - tail < 0 ? tail : later) : null;
    }

    /**
     * What {@code stat}, {@code list} and both ends at attach check of a broadcast ring: the ring state, the positions
     * ({@link #checkWhileWaiting}) and every consumer slot's position (read before the tail it is compared with).
     *
     * @param file a broadcast ring.
     * @return null if consistent, else the first broken rule.
     */
    static CorruptRingException checkConsistent(final RingFile file)
    {
        CorruptRingException corrupt = checkWhileWaiting(file);
        if (corrupt == null)
        {
            corrupt = RingFrames.checkRingState(file);
        }
        final AtomicBuffer control = file.buffer();
        for (int slot = 0; corrupt == null && slot < file.consumerSlots(); slot++)
        {
            final long position = control.getLongVolatile(BroadcastSlots.positionOffset(slot)); // volatile: as the producer reads it
            final long tail = control.getLongAcquire(TAIL_OFFSET); // acquire: after the position, so never below it
            if (position != NOT_READING && (position < 0 || (position & (FrameDescriptor.ALIGNMENT - 1)) != 0 || position > tail))
            {
                corrupt = new CorruptRingException(file.path(), "consumer position", -1, position, "slot " + slot +
                    " holds -1 (not reading) or a multiple of " + FrameDescriptor.ALIGNMENT + " in 0..tail: tail=" + tail);
            }
        }
        return corrupt;
    }

    /**
     * Lossy: the oldest checkpoint (a frame start the producer recorded) that the producer has not begun to overwrite.
     *
     * @param file   a lossy broadcast ring.
     * @param tail   its tail.
     * @param intent its tail intent, read after the tail and checked.
     * @return that checkpoint, or {@code tail} if none qualifies.
     */
    static long oldestCheckpoint(final RingFile file, final long tail, final long intent)
    {
        final AtomicBuffer control = file.buffer();
        long oldest = tail;
        for (int checkpoint = 0; checkpoint < BroadcastDescriptor.CHECKPOINTS; checkpoint++)
        {
            // acquire: the producer stored it after the tail that covers its frame
            final long start = control.getLongAcquire(BroadcastDescriptor.checkpointOffset(checkpoint));
            if (start >= 0 && (start & (FrameDescriptor.ALIGNMENT - 1)) == 0 && start <= tail &&
                intent - start <= file.capacity() && start < oldest)
            {
                oldest = start;
            }
        }
        return oldest;
    }
}
