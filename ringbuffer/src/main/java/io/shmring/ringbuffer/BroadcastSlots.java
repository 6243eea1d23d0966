package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.PartyRecord;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.AtomicBuffer;

import static io.shmring.ringbuffer.internal.BroadcastDescriptor.NOT_READING;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_DELIVERED_BYTES_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_DELIVERED_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_DROPS_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_LAPS_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_LOST_BYTES_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.SLOT_POSITION_OFFSET;
import static io.shmring.ringbuffer.internal.BroadcastDescriptor.consumerSlotOffset;

/**
 * The consumer table of a broadcast ring ({@link BroadcastDescriptor}): attaching to a slot, the positions the
 * producer reads, and read-only snapshots for monitoring. Judging a slot's holder reads /proc: not for hot paths.
 */
final class BroadcastSlots
{
    private static final String ROLE = "broadcast consumer";

    private final RingFile file;
    private final AtomicBuffer buffer;
    private final int slots;

    BroadcastSlots(final RingFile file)
    {
        this.file = file;
        this.buffer = file.buffer();
        this.slots = file.consumerSlots();
    }

    int slots()
    {
        return slots;
    }

    static int positionOffset(final int slot)
    {
        return consumerSlotOffset(slot) + SLOT_POSITION_OFFSET;
    }

    static int partyOffset(final int slot)
    {
        return consumerSlotOffset(slot) + SLOT_PARTY_OFFSET;
    }

    /**
     * Take the first slot that is free or whose holder is dead (docs/LAYOUT.md sections 6 and 7.2).
     *
     * @return the slot and this process's owner word in it.
     * @throws TableFullException if every slot is held by a live process.
     */
    EndLifecycle.Attachment attach()
    {
        return EndLifecycle.attachFirstAvailable(file, slots, BroadcastSlots::partyOffset, ROLE);
    }

    PartyRecord record(final int slot)
    {
        return file.partyRecord(partyOffset(slot));
    }

    /**
     * @param slot index in the table.
     * @return its position now, or {@link BroadcastDescriptor#NOT_READING}.
     */
    long position(final int slot)
    {
        return buffer.getLongVolatile(positionOffset(slot)); // volatile: the Dekker pair with a joining consumer
    }

    /**
     * @param slot     index in the table.
     * @param expected the position read.
     * @param next     the position to store.
     * @return true if the slot held {@code expected} and now holds {@code next}.
     */
    boolean casPosition(final int slot, final long expected, final long next)
    {
        return buffer.compareAndSetLong(positionOffset(slot), expected, next); // CAS: the consumer's progress and the producer's drop exclude each other
    }

    /**
     * @param upTo the producer's tail: no reading consumer is beyond it.
     * @return the smallest position of a reading consumer, or {@code upTo} if none reads.
     */
    long minReadingPosition(final long upTo)
    {
        long min = upTo;
        for (int slot = 0; slot < slots; slot++)
        {
            final long position = position(slot);
            if (position != NOT_READING && position < min)
            {
                min = position;
            }
        }
        return min;
    }

    /**
     * @return true if some slot is held by a process not known to be dead (attaching counts). Reads /proc.
     */
    boolean anyHeld()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (record(slot).judge().isHeld())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param tail the producer's position.
     * @return true if a slot whose record names a process (alive or dead) reads behind the tail: messages that
     *         process has not read. Reads /proc.
     */
    boolean anyUnread(final long tail)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final long position = position(slot);
            if (position != NOT_READING && position < tail &&
                record(slot).judge().liveness() != PartyStatus.Liveness.FREE)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A consumer's counters, written by the consumer alone (release stores: a monitor reading them sees each value
     * whole).
     */
    void storeCounters(final int slot, final long delivered, final long deliveredBytes, final long laps, final long lostBytes)
    {
        final int offset = consumerSlotOffset(slot);
        buffer.putLongRelease(offset + SLOT_DELIVERED_OFFSET, delivered); // release: the one writer publishes the count
        buffer.putLongRelease(offset + SLOT_DELIVERED_BYTES_OFFSET, deliveredBytes); // release: as above
        buffer.putLongRelease(offset + SLOT_LAPS_OFFSET, laps); // release: as above
        buffer.putLongRelease(offset + SLOT_LOST_BYTES_OFFSET, lostBytes); // release: as above
    }

    /**
     * A consumer's delivered count and their payload bytes, after each batch.
     */
    void storeDelivered(final int slot, final long delivered, final long deliveredBytes)
    {
        final int offset = consumerSlotOffset(slot);
        buffer.putLongRelease(offset + SLOT_DELIVERED_OFFSET, delivered); // release: the one writer publishes it
        buffer.putLongRelease(offset + SLOT_DELIVERED_BYTES_OFFSET, deliveredBytes); // release: as above
    }

    /**
     * Count one drop of a slot's consumer: the producer is the only writer of the slot's drop count and of the
     * ring's total.
     */
    void countDrop(final int slot)
    {
        final int offset = consumerSlotOffset(slot) + SLOT_DROPS_OFFSET;
        buffer.putLongRelease(offset, buffer.getLong(offset) + 1); // release: the one writer publishes the count
        buffer.putLongRelease(BroadcastDescriptor.DROPPED_CONSUMERS_OFFSET, // release: as above
            buffer.getLong(BroadcastDescriptor.DROPPED_CONSUMERS_OFFSET) + 1);
    }

    /**
     * @param slot index in the table.
     * @return the slot as it is now, its holder judged. Reads /proc.
     */
    BroadcastSlotStatus status(final int slot)
    {
        final int offset = consumerSlotOffset(slot);
        return new BroadcastSlotStatus(slot, record(slot).judge(), position(slot),
            buffer.getLongAcquire(offset + SLOT_DELIVERED_OFFSET), // acquire: a snapshot of counters for display
            buffer.getLongAcquire(offset + SLOT_DELIVERED_BYTES_OFFSET), // acquire: as above
            buffer.getLongAcquire(offset + SLOT_LAPS_OFFSET), // acquire: as above
            buffer.getLongAcquire(offset + SLOT_LOST_BYTES_OFFSET), // acquire: as above
            buffer.getLongAcquire(offset + SLOT_DROPS_OFFSET)); // acquire: as above
    }
}
