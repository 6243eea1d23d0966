package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static io.shmring.ringbuffer.internal.BroadcastDescriptor.FLOOR_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.NOT_READING;

/**
 * The slow path of a lossless broadcast producer (docs/LAYOUT.md section 7.4): computing the floor (the slowest
 * reading consumer's position, which bounds what the producer may overwrite) and dropping the consumers that hold it
 * back while dead or stalled. Runs only when a frame does not fit under the floor last computed, never per message.
 * Not thread-safe: the producer's thread.
 * <p>
 * The floor is published in the file and never goes down. A consumer joins by storing its position (the tail it
 * read, never below the floor it read before), then, after a full fence, reading the floor again: if the floor is
 * still at or below its position it is protected, because every computation of the floor stores the floor, fences,
 * and reads the positions again before the producer writes by it — so each computation either sees the consumer or
 * is seen by it. A position below the floor is a consumer still retrying its join, and is not protected.
 */
final class ConsumerFloor
{
    /** How often a consumer holding the producer back has its liveness judged (a /proc read). */
    static final long JUDGE_INTERVAL_MS = 50;

    private final AtomicBuffer control;
    private final BroadcastSlots slots;
    private final int capacity;
    private final long stallTimeoutMs;
    private final long[] blockedAt;
    private final long[] blockedSinceMs;
    private final long[] nextJudgeMs;
    private long floor;

    /**
     * @param file  a lossless broadcast ring.
     * @param slots its consumer table.
     * @param tail  the producer's tail.
     * @throws CorruptRingException if the floor in the file is not in tail - capacity..tail (and not negative).
     */
    ConsumerFloor(final RingFile file, final BroadcastSlots slots, final long tail)
    {
        this.control = file.buffer();
        this.slots = slots;
        this.capacity = file.capacity();
        this.stallTimeoutMs = file.stallTimeoutMs();
        this.blockedAt = new long[slots.slots()];
        this.blockedSinceMs = new long[slots.slots()];
        this.nextJudgeMs = new long[slots.slots()];
        Arrays.fill(blockedAt, NOT_READING);
        this.floor = control.getLongVolatile(FLOOR_OFFSET); // volatile: the floor an earlier producer published
        final CorruptRingException corrupt = BroadcastChecks.checkFloor(file, floor, tail);
        if (corrupt != null)
        {
            throw corrupt;
        }
    }

    /**
     * @return the floor last computed.
     */
    long floor()
    {
        return floor;
    }

    /**
     * Compute the floor anew and publish it: store it, fence, read the positions again (a consumer that joined
     * meanwhile lowers it), store it again if lower.
     *
     * @param tail the producer's tail.
     * @return the floor: the producer may write below {@code floor + capacity}.
     */
    long recompute(final long tail)
    {
        final long first = Math.max(floor, slots.minReadingPosition(tail));
        control.putLongVolatile(FLOOR_OFFSET, first); // volatile: the producer's half of the Dekker pair with a joiner
        VarHandle.fullFence(); // StoreLoad: the floor is visible before we look again for consumers that joined meanwhile
        final long second = Math.max(floor, slots.minReadingPosition(tail));
        if (second < first)
        {
            control.putLongVolatile(FLOOR_OFFSET, second); // volatile: as above; never below the previous floor
        }
        floor = Math.min(first, second);
        return floor;
    }

    /**
     * The frame ending at position {@code end} does not fit: judge each consumer holding it back. One that is dead
     * (docs/LAYOUT.md section 6; judged once it has held one position for {@link #JUDGE_INTERVAL_MS}, then every
     * interval), or whose position has not moved since the producer first found it holding the producer back, for the
     * stall timeout, is dropped.
     *
     * @param end   end position of the frame that does not fit.
     * @param nowMs CLOCK_MONOTONIC ms.
     * @return true if a consumer was dropped.
     */
    boolean dropStalled(final long end, final long nowMs)
    {
        boolean dropped = false;
        for (int slot = 0; slot < blockedAt.length; slot++)
        {
            final long position = slots.position(slot);
            if (position == NOT_READING || end - position <= capacity)
            {
                blockedAt[slot] = NOT_READING;
                continue;
            }
            if (position != blockedAt[slot])
            {
                // it moved since we last looked (or never held us back): alive a moment ago, so its first judgement
                // (a /proc read) waits until it has held this position for an interval; judged at once, a consumer
                // that keeps up but is sometimes a lap behind cost a /proc read at nearly every full ring
                blockedAt[slot] = position;
                blockedSinceMs[slot] = nowMs;
                nextJudgeMs[slot] = nowMs + JUDGE_INTERVAL_MS;
            }
            boolean drop = nowMs - blockedSinceMs[slot] >= stallTimeoutMs;
            if (!drop && nowMs - nextJudgeMs[slot] >= 0)
            {
                nextJudgeMs[slot] = nowMs + JUDGE_INTERVAL_MS;
                drop = isGone(slot);
            }
            if (drop && dropAt(slot, position))
            {
                dropped = true;
            }
        }
        return dropped;
    }

    /**
     * Drop a slot's consumer now, whatever its state (the operator's override).
     *
     * @param slot index in the consumer table.
     * @return true if it was reading and this call dropped it.
     */
    boolean drop(final int slot)
    {
        final long position = slots.position(slot);
        return position != NOT_READING && dropAt(slot, position);
    }

    private boolean dropAt(final int slot, final long position)
    {
        if (!slots.casPosition(slot, position, NOT_READING))
        {
            return false; // it moved (or left) at the same moment: not stalled after all
        }
        slots.countDrop(slot);
        blockedAt[slot] = NOT_READING;
        return true;
    }

    /**
     * A reading position whose holder is dead, or that nobody holds (a consumer died between its two steps of
     * leaving), protects nothing anyone will read.
     */
    private boolean isGone(final int slot)
    {
        final PartyStatus.Liveness liveness = slots.record(slot).judge().liveness();
        return liveness == PartyStatus.Liveness.DEAD || liveness == PartyStatus.Liveness.FREE;
    }
}
