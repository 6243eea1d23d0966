package io.shmring.ringbuffer;

import io.shmring.core.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static io.shmring.ringbuffer.ProducerSlotDescriptor.GENERATION_OFFSET;
import static io.shmring.ringbuffer.ProducerSlotDescriptor.HEARTBEAT_OFFSET;
import static io.shmring.ringbuffer.ProducerSlotDescriptor.PID_OFFSET;
import static io.shmring.ringbuffer.ProducerSlotDescriptor.RESERVATION_END_OFFSET;
import static io.shmring.ringbuffer.ProducerSlotDescriptor.RESERVATION_START_OFFSET;
import static io.shmring.ringbuffer.ProducerSlotDescriptor.START_TIME_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.HEAD_OFFSET;

/**
 * The producer table of an MPSC ring (see {@link ProducerSlotDescriptor}): registration, release and
 * the liveness judgements the consumer's recovery rests on. Liveness reads /proc: not for hot paths.
 */
final class ProducerTable
{
    /** {@link #findReservation} result: no slot's reservation covers the position, or more than one does. */
    static final int NO_SLOT = -1;

    private final RingFile file;
    private final AtomicBuffer buffer;
    private final int slots;

    ProducerTable(final RingFile file)
    {
        this.file = file;
        this.buffer = file.buffer();
        this.slots = file.producerSlots();
    }

    int slots()
    {
        return slots;
    }

    /**
     * Take a free slot, or the slot of a dead process whose last reservation the consumer has passed.
     *
     * @return the slot index.
     * @throws IllegalStateException if every slot is held.
     */
    int register()
    {
        final long self = ProcessIdentity.currentPid();
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long pid = buffer.getLongAcquire(offset + PID_OFFSET); // acquire: pairs with the holder's registration
            if (pid != 0 && ProcessIdentity.isAlive(pid, buffer.getLongAcquire(offset + START_TIME_OFFSET)))
            {
                continue;
            }
            final long reservationEnd = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: the dead holder's last range
            if (reservationEnd > buffer.getLongAcquire(HEAD_OFFSET)) // acquire: recovery of that range shows as the head passing it
            {
                continue; // a claim the dead holder left without a header: the consumer still needs its range
            }
            if (buffer.compareAndSetLong(offset + PID_OFFSET, pid, self))
            {
                buffer.putLong(offset + START_TIME_OFFSET, ProcessIdentity.currentStartTimeMs());
                buffer.putLong(offset + HEARTBEAT_OFFSET, System.currentTimeMillis());
                buffer.putLong(offset + RESERVATION_START_OFFSET, 0);
                buffer.putLong(offset + RESERVATION_END_OFFSET, 0);
                final int generation = buffer.getInt(offset + GENERATION_OFFSET) + 1;
                buffer.putIntRelease(offset + GENERATION_OFFSET, generation); // release: fields above are visible with the new generation
                return slot;
            }
        }
        throw new IllegalStateException("producer table full, every slot is held by a live process: producerSlots=" +
            slots + " path=" + file.path());
    }

    /**
     * Free a slot this process holds.
     */
    void release(final int slot)
    {
        final int offset = RingDescriptor.producerSlotOffset(slot);
        buffer.putLongRelease(offset + START_TIME_OFFSET, 0); // release: cleared before the pid, so no reader pairs our pid with a stale time
        buffer.compareAndSetLong(offset + PID_OFFSET, ProcessIdentity.currentPid(), 0);
    }

    int generation(final int slot)
    {
        return buffer.getIntAcquire(RingDescriptor.producerSlotOffset(slot) + GENERATION_OFFSET); // acquire: pairs with registration
    }

    long pid(final int slot)
    {
        return buffer.getLongAcquire(RingDescriptor.producerSlotOffset(slot) + PID_OFFSET); // acquire: pairs with registration
    }

    long heartbeatMs(final int slot)
    {
        return buffer.getLongOpaque(RingDescriptor.producerSlotOffset(slot) + HEARTBEAT_OFFSET); // opaque: a recent value is enough
    }

    long reservationEnd(final int slot)
    {
        return buffer.getLongAcquire(RingDescriptor.producerSlotOffset(slot) + RESERVATION_END_OFFSET); // acquire: start was written before
    }

    /**
     * @return true if a process holds the slot, its heartbeat is at most {@code timeoutMs} old and its pid runs.
     */
    boolean isAlive(final int slot, final long nowMs, final long timeoutMs)
    {
        final int offset = RingDescriptor.producerSlotOffset(slot);
        final long pid = buffer.getLongAcquire(offset + PID_OFFSET); // acquire: pairs with registration
        if (pid == 0 || nowMs - heartbeatMs(slot) > timeoutMs)
        {
            return false;
        }
        return ProcessIdentity.isAlive(pid, buffer.getLongAcquire(offset + START_TIME_OFFSET)); // acquire: written after the pid
    }

    /**
     * The owner of a claim marked (slot, generation) is gone if the slot changed hands since, or its
     * holder is not {@link #isAlive alive}.
     */
    boolean isClaimOwnerDead(final int slot, final int generation, final long nowMs, final long timeoutMs)
    {
        if ((generation(slot) & ClaimMarker.GENERATION_MASK) != generation)
        {
            return true;
        }
        return !isAlive(slot, nowMs, timeoutMs);
    }

    /**
     * @param position a ring position whose frame header is still zero.
     * @return the one slot whose reservation range covers it, or {@link #NO_SLOT}.
     */
    int findReservation(final long position)
    {
        int found = NO_SLOT;
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long end = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: start is written before end
            if (end > position && buffer.getLong(offset + RESERVATION_START_OFFSET) <= position)
            {
                if (found != NO_SLOT)
                {
                    return NO_SLOT;
                }
                found = slot;
            }
        }
        return found;
    }

    /**
     * Tell the slot's owner that the consumer recovered its reserved range.
     *
     * @param slot a slot found by {@link #findReservation}.
     * @param end  the reservation end the recovery used.
     * @return true if the reservation was still that range (the owner has not ended it).
     */
    boolean revokeReservation(final int slot, final long end)
    {
        return buffer.compareAndSetLong( // CAS: the owner ending this reservation at the same moment wins or loses as one
            RingDescriptor.producerSlotOffset(slot) + RESERVATION_END_OFFSET, end, ProducerSlotDescriptor.RESERVATION_REVOKED);
    }

    /**
     * @param slot a slot found by {@link #findReservation}.
     * @return start of its reservation range.
     */
    long reservationStart(final int slot)
    {
        return buffer.getLong(RingDescriptor.producerSlotOffset(slot) + RESERVATION_START_OFFSET); // plain: read after the acquire of the end
    }

    /**
     * @return true if no slot is held.
     */
    boolean isEmpty()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (pid(slot) != 0)
            {
                return false;
            }
        }
        return true;
    }
}
