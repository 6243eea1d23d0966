package io.shmring.examples.stat;

import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.RingCounters;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingFrames;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code stat}, {@code list} and {@code clean} read from a ring at one moment, read-only: header, positions, pending
 * frames, every party judged by docs/LAYOUT.md section 6, wake lines. Values other processes keep changing are read one at
 * a time, so they are each true at their own moment, not all at once.
 *
 * @param path             the ring file.
 * @param kind             SPSC, MPSC or BROADCAST.
 * @param layoutVersion    the header's layout version.
 * @param capacity         data bytes.
 * @param maxMessageLength largest payload, bytes.
 * @param wakeMechanism    futex or semaphore.
 * @param producerSlots    MPSC producer slots (0 for SPSC).
 * @param creatorPid       pid that created the file.
 * @param creationTimeMs   when, epoch ms.
 * @param tail             producer position, bytes since creation.
 * @param head             consumer position, bytes since creation; broadcast: the slowest reading consumer's position,
 *                         or the tail if none reads.
 * @param pending          committed frames not yet consumed (and what breaks the rules, if anything); broadcast: not
 *                         walked (unknown), each consumer's lag is in {@code broadcast}; what breaks its rules, if
 *                         anything.
 * @param consumer         the consumer's role (free for a broadcast ring, whose consumers are in {@code broadcast}).
 * @param producers        the SPSC or broadcast producer, or every MPSC producer slot that is not free.
 * @param streamGeneration the stream word's generation.
 * @param streamEnded      true if that stream ended.
 * @param notEmpty         the not-empty wake line (consumers sleep here).
 * @param notFull          the not-full wake line (producers sleep here).
 * @param recoveredClaims  claims the consumer recovered from dead producers since creation.
 * @param counters         the ends' counters in the file (docs/LAYOUT.md 2.4).
 * @param broadcast        a broadcast ring's policy and consumer table, or null for SPSC and MPSC.
 * @param capturedNanos    {@link System#nanoTime()} when reading began, for rates between snapshots.
 */
public record RingSnapshot(
    Path path, RingKind kind, int layoutVersion, int capacity, int maxMessageLength, WakeMechanism wakeMechanism,
    int producerSlots, long creatorPid, long creationTimeMs, long tail, long head, PendingFrames pending, PartyStatus consumer,
    List<Producer> producers, long streamGeneration, boolean streamEnded, WakeLine notEmpty, WakeLine notFull,
    long recoveredClaims, RingCounters counters, Broadcast broadcast, long capturedNanos)
{
    /**
     * A broadcast ring's own state.
     *
     * @param consumerSlots    slots in the consumer table.
     * @param policy           lossless or lossy.
     * @param stallTimeoutMs   lossless: how long a live consumer may stall before it is dropped, ms.
     * @param droppedConsumers consumers dropped over the ring's life (lossless).
     * @param slots            every consumer slot that is held, holds a position, or has counted anything, by slot index.
     */
    public record Broadcast(int consumerSlots, BroadcastPolicy policy, long stallTimeoutMs, long droppedConsumers, List<BroadcastSlotStatus> slots)
    {
        /**
         * @param index a consumer slot's index.
         * @return that slot, or null if it is not among {@link #slots()} (never held, nothing counted).
         */
        public BroadcastSlotStatus slot(final int index)
        {
            for (final BroadcastSlotStatus slot : slots)
            {
                if (slot.slot() == index)
                {
                    return slot;
                }
            }
            return null;
        }

        /**
         * @param tail the producer's position.
         * @return the slots whose holder (dead or alive) has not read everything the producer published: a reading
         *         position behind the tail. What {@code clean} calls unread in a broadcast ring.
         */
        public List<BroadcastSlotStatus> unreadSlots(final long tail)
        {
            final List<BroadcastSlotStatus> unread = new ArrayList<>();
            for (final BroadcastSlotStatus slot : slots)
            {
                if (slot.party().liveness() != PartyStatus.Liveness.FREE && slot.lagBytes(tail) > 0)
                {
                    unread.add(slot);
                }
            }
            return unread;
        }
    }

    /**
     * A producer's role.
     *
     * @param slot             the MPSC slot, or -1 for the SPSC producer.
     * @param status           who holds it, judged.
     * @param reservationStart MPSC: the slot's reservation start as the file holds it (LAYOUT 5.1): the start of the
     *                         last range it recorded, meaningful only while {@code reservationEnd} is above the head;
     *                         SPSC: 0.
     * @param reservationEnd   MPSC: the slot's reservation end as the file holds it: 0 none, -1 locked, -2 revoked,
     *                         else the end of its last range; SPSC: 0.
     */
    public record Producer(int slot, PartyStatus status, long reservationStart, long reservationEnd)
    {
        /**
         * @param head the consumer's position.
         * @return true if the slot records a range the consumer has not passed: reserved, its header perhaps not yet
         *         written (LAYOUT 5.7 b).
         */
        public boolean hasRangeAbove(final long head)
        {
            return reservationEnd > head;
        }
    }

    /**
     * A wake line's counters.
     *
     * @param waiters  processes asleep (or about to sleep) on it.
     * @param sequence signals given since creation, modulo 2^32.
     */
    public record WakeLine(int waiters, long sequence)
    {
    }

    /**
     * Read a ring now.
     *
     * @param ring a ring file, open (read-only is enough).
     * @return what it holds.
     * @throws IllegalStateException if the ring is closed.
     */
    public static RingSnapshot of(final RingFile ring)
    {
        final long now = System.nanoTime();
        final AtomicBuffer buffer = ring.buffer();
        final long tail = ring.producerPosition();
        final Broadcast broadcast = ring.kind() == RingKind.BROADCAST ? broadcast(ring) : null;
        final long head = broadcast == null ? ring.consumerPosition() : slowest(broadcast, tail);
        final RingCounters counters = ring.counters(); // next to the positions: the walk below may take long on a full ring
        final PendingFrames pending = PendingFrames.count(ring);
        final PartyStatus consumer = ring.consumerStatus();
        final List<Producer> producers = new ArrayList<>();
        if (ring.kind() != RingKind.MPSC)
        {
            producers.add(new Producer(-1, ring.producerStatus(), 0, 0));
        }
        else
        {
            for (int slot = 0; slot < ring.producerSlots(); slot++)
            {
                final PartyStatus status = ring.producerSlotStatus(slot);
                if (status.liveness() == PartyStatus.Liveness.FREE)
                {
                    continue;
                }
                final int offset = RingDescriptor.producerSlotOffset(slot);
                // acquire: the owner writes the start before the end
                final long end = buffer.getLongAcquire(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET);
                final long start = buffer.getLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET);
                producers.add(new Producer(slot, status, start, end)); // as the file holds them: stat --json shows both
            }
        }
        final long stream = buffer.getLongAcquire(RingDescriptor.STREAM_OFFSET); // acquire: a snapshot for display
        return new RingSnapshot(ring.path(), ring.kind(), buffer.getInt(RingDescriptor.LAYOUT_VERSION_OFFSET),
            ring.capacity(), ring.maxMessageLength(), ring.wakeMechanism(), ring.producerSlots(), ring.creatorPid(), ring.creationTimeMs(),
            tail, head, pending, consumer, List.copyOf(producers), stream >>> 1, (stream & 1) != 0,
            wakeLine(buffer, RingDescriptor.NOT_EMPTY_WAKE_OFFSET), wakeLine(buffer, RingDescriptor.NOT_FULL_WAKE_OFFSET),
            ring.recoveredClaims(), counters, broadcast, now);
    }

    private static Broadcast broadcast(final RingFile ring)
    {
        final List<BroadcastSlotStatus> slots = new ArrayList<>();
        for (int slot = 0; slot < ring.consumerSlots(); slot++)
        {
            final BroadcastSlotStatus status = ring.consumerSlotStatus(slot);
            if (status.party().liveness() != PartyStatus.Liveness.FREE || status.isReading() || status.delivered() != 0 ||
                status.drops() != 0)
            {
                slots.add(status);
            }
        }
        return new Broadcast(ring.consumerSlots(), ring.broadcastPolicy(), ring.stallTimeoutMs(), ring.droppedConsumers(), List.copyOf(slots));
    }

    /** The smallest reading position, or the tail if no consumer reads (a lapped lossy reader can be far behind). */
    private static long slowest(final Broadcast broadcast, final long tail)
    {
        long head = tail;
        for (final BroadcastSlotStatus slot : broadcast.slots())
        {
            if (slot.isReading())
            {
                head = Math.min(head, slot.position());
            }
        }
        return head;
    }

    /**
     * @param buffer     a ring's whole file.
     * @param lineOffset file offset of a wake line.
     * @return its counters now.
     */
    static WakeLine wakeLine(final AtomicBuffer buffer, final int lineOffset)
    {
        final int waiters = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.WAITERS_OFFSET); // volatile: sleepers in other processes change it
        final int sequence = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.SEQUENCE_OFFSET); // volatile: as above
        return new WakeLine(waiters, Integer.toUnsignedLong(sequence));
    }

    /**
     * @return bytes committed or reserved and not yet consumed ({@code tail - head}).
     */
    public long pendingBytes()
    {
        return tail - head;
    }

    /**
     * @return pending bytes as a share of the capacity, 0 to 1.
     */
    public double fill()
    {
        return capacity == 0 ? 0 : Math.max(0, Math.min(1, (double)pendingBytes() / capacity));
    }

    /**
     * @return true if a live (or attaching) process holds any role: such a ring is in use, whatever else it shows.
     */
    public boolean hasLiveParty()
    {
        boolean held = false;
        for (final PartyStatus party : parties())
        {
            held |= party.isHeld();
        }
        return held;
    }

    /**
     * What the consumer does about the uncommitted frame at its head (docs/LAYOUT.md 5.7), as far as this snapshot
     * shows: the one rule set of the consumer, so stat never says it waits where it recovers, or the reverse.
     *
     * @param slot          the slot that decides: the claim's; for a reservation, a covering slot whose holder lives if
     *                      any (the consumer waits while any does), else the first covering slot; -1 if no slot records
     *                      the reservation (the ring is then corrupt: see the pending frames' corruption).
     * @param holder        that slot's holder, or null if the slot is free.
     * @param holderChanged a claim made by an earlier holder of the slot (its generation is not the slot's now): its
     *                      owner is gone, whoever holds the slot.
     * @param consumerWaits true if the consumer waits for a commit (a live owner); false if it recovers the frame once
     *                      it judges (a free slot, a changed holder, a dead one; by heartbeat alone only after its claim
     *                      timeout), or refuses the ring (no slot records it).
     */
    public record HeadVerdict(int slot, PartyStatus holder, boolean holderChanged, boolean consumerWaits)
    {
    }

    /**
     * @return the verdict on {@link PendingFrames#headBlock()}, or null if nothing blocks the head.
     */
    public HeadVerdict headVerdict()
    {
        final PendingFrames.HeadBlock block = pending.headBlock();
        if (block == null)
        {
            return null;
        }
        if (block.slots().isEmpty())
        {
            return new HeadVerdict(-1, null, false, false);
        }
        final int first = block.slots().get(0);
        if (block.claim()) // one slot, the marker's: waited for only if its holder is the claim's owner and lives
        {
            final PartyStatus holder = holder(first);
            final boolean changed = holder != null && !RingFrames.isClaimOfGeneration(block.typeId(), holder.generation());
            return new HeadVerdict(first, holder, changed, holder != null && !changed && holder.isHeld());
        }
        for (final int slot : block.slots()) // a reservation: waited for while any covering slot's holder lives
        {
            final PartyStatus holder = holder(slot);
            if (holder != null && holder.isHeld())
            {
                return new HeadVerdict(slot, holder, false, true);
            }
        }
        return new HeadVerdict(first, holder(first), false, false);
    }

    /** @return the holder of an MPSC producer slot, or null if it is free. */
    private PartyStatus holder(final int slot)
    {
        for (final Producer producer : producers)
        {
            if (producer.slot() == slot)
            {
                return producer.status();
            }
        }
        return null;
    }

    /**
     * @return every role recorded: the consumer, the producers, and a broadcast ring's consumer slots.
     */
    private List<PartyStatus> parties()
    {
        final List<PartyStatus> parties = new ArrayList<>();
        parties.add(consumer);
        for (final Producer producer : producers)
        {
            parties.add(producer.status());
        }
        if (broadcast != null)
        {
            for (final BroadcastSlotStatus slot : broadcast.slots())
            {
                parties.add(slot.party());
            }
        }
        return parties;
    }

    /**
     * @return true if some process once held a role and every one that did is dead: left behind by crashes.
     */
    public boolean isStale()
    {
        boolean anyDead = false;
        for (final PartyStatus party : parties())
        {
            anyDead |= party.liveness() == PartyStatus.Liveness.DEAD;
        }
        return anyDead && !hasLiveParty();
    }

    /**
     * @return the smallest heartbeat age among the roles held (ms), or -1 if none has beaten: how long ago a party was
     *         last seen working.
     */
    public long lastHeartbeatAgeMs()
    {
        long youngest = -1;
        for (final PartyStatus party : parties())
        {
            youngest = youngest(youngest, party);
        }
        return youngest;
    }

    /**
     * @return the largest amount by which a held role's heartbeat is ahead of this clock (ms; its age then reads 0:
     *         another time namespace, or an overwritten word), or 0.
     */
    public long heartbeatAheadMs()
    {
        long ahead = 0;
        for (final PartyStatus party : parties())
        {
            ahead = party.liveness() == PartyStatus.Liveness.FREE ? ahead : Math.max(ahead, party.heartbeatAheadMs());
        }
        return ahead;
    }

    private static long youngest(final long youngest, final PartyStatus status)
    {
        if (status.liveness() == PartyStatus.Liveness.FREE || status.heartbeatAgeMs() < 0)
        {
            return youngest;
        }
        return youngest < 0 ? status.heartbeatAgeMs() : Math.min(youngest, status.heartbeatAgeMs());
    }
}
