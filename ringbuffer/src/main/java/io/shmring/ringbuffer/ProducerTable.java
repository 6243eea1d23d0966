package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.internal.PartyRecord;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.AtomicBuffer;

import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.PARTY_OFFSET;
import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.RESERVATION_END_OFFSET;
import static io.shmring.ringbuffer.internal.ProducerSlotDescriptor.RESERVATION_START_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.HEAD_OFFSET;

/**
 * The producer table of an MPSC ring (see {@link ProducerSlotDescriptor}): registration, and the liveness
 * judgements the consumer's recovery and the end of the stream rest on. Judging reads /proc: not for hot paths.
 */
final class ProducerTable
{
    /** {@link #findReservation} result: no slot's reservation covers the position. */
    static final int NO_SLOT = -1;

    /**
     * A registration: the slot taken and this process's owner word in it.
     *
     * @param slot      index in the table.
     * @param ownerWord owner word ({@code generation << 32 | pid}).
     */
    record Registration(int slot, long ownerWord)
    {
    }

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
     * Take a free slot, or the slot of a dead process whose last reservation the consumer has passed: one CAS of
     * the slot's owner word decides (docs/LAYOUT.md sections 5.2 and 6).
     *
     * @return the slot and this process's owner word in it.
     * @throws TableFullException  if every slot is held.
     * @throws CorruptRingException if a free or dead slot's reservation end is out of range (nothing is written).
     */
    Registration register()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final PartyRecord record = record(slot);
            final PartyStatus holder = record.judge();
            if (holder.liveness() != PartyStatus.Liveness.FREE && holder.liveness() != PartyStatus.Liveness.DEAD)
            {
                continue;
            }
            final long head = buffer.getLongAcquire(HEAD_OFFSET); // acquire: recovery of that range shows as the head passing it
            final CorruptRingException corrupt = checkReservationEnd(slot);
            if (corrupt != null)
            {
                throw corrupt;
            }
            final long end = reservationEnd(slot);
            if (end > head)
            {
                continue; // a claim the dead holder left without a header: the consumer still needs its range
            }
            if (end == ProducerSlotDescriptor.RESERVATION_LOCKED && holder.heartbeatOnly())
            {
                // judged dead by a stale heartbeat alone, it may be stopped while holding its reservation lock: breaking
                // the lock would let it record a range over ours when it runs again (docs/LAYOUT.md 5.2 step 2)
                continue;
            }
            final Registration registration = takeSlot(slot, holder.ownerWord(), end);
            if (registration != null)
            {
                return registration;
            }
        }
        throw new TableFullException(file.path(), "MPSC producer", slots);
    }

    /**
     * Steps 3 and 4 of a registration (docs/LAYOUT.md 5.2): take the slot's party record over from the owner word judged
     * free or dead, then reset its reservation end with a CAS from the value judged beside it. A holder judged dead that
     * is in fact still running (stopped longer than the staleness period in another pid namespace) may have locked the
     * reservation or recorded a range since: a store of 0 would erase that range, leaving a zero header below the tail
     * that no slot covers. Then the slot is given back (the old holder's next claim finds its role lost) and the caller
     * tries the next one.
     *
     * @param slot        index in the table.
     * @param judgedOwner the owner word judged free or dead.
     * @param judgedEnd   the reservation end read after that judgement, at most the head.
     * @return the registration, or null if either CAS failed (the slot is not held by this process).
     */
    Registration takeSlot(final int slot, final long judgedOwner, final long judgedEnd)
    {
        final PartyRecord record = record(slot);
        final long mine = record.takeOver(judgedOwner);
        if (mine == PartyRecord.NOT_ATTACHED)
        {
            return null;
        }
        // CAS from the judged value, never a store: only a reservation that did not change since it was judged is reset.
        // The start is left: it is read only beside an end above the head, which this slot's next range stores anew.
        if (!buffer.compareAndSetLong(RingDescriptor.producerSlotOffset(slot) + RESERVATION_END_OFFSET, judgedEnd, 0))
        {
            record.release(mine);
            return null;
        }
        return new Registration(slot, mine);
    }

    /**
     * A slot's reservation end holds a value the protocol writes (docs/LAYOUT.md 5.1): 0, -1 (locked), -2 (revoked),
     * or a range end, a positive multiple of 8 at most capacity above the head (a producer claims no further). The head
     * is read after the end: a live range's end was at most capacity above the head when it was recorded, and the
     * head only grows, so a live ring never breaks the rule however far it moved since an earlier read of its head.
     *
     * @param slot index in the table.
     * @return null if it does, else the exception naming the slot and value.
     */
    CorruptRingException checkReservationEnd(final int slot)
    {
        final long end = reservationEnd(slot);
        final long head = buffer.getLongAcquire(HEAD_OFFSET); // acquire, after the end: see above
        if (end == 0 || end == ProducerSlotDescriptor.RESERVATION_LOCKED || end == ProducerSlotDescriptor.RESERVATION_REVOKED ||
            (end > 0 && (end & (FrameDescriptor.ALIGNMENT - 1)) == 0 && end - head <= file.capacity()))
        {
            return null;
        }
        return new CorruptRingException(file.path(), "reservation end", -1, end, "slot " + slot + " holds 0, -1 (locked), " +
            "-2 (revoked) or a multiple of 8 at most capacity above the head=" + head);
    }

    /**
     * @return null if every slot's reservation end is in range ({@link #checkReservationEnd}), else the first exception.
     */
    CorruptRingException checkSlots()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final CorruptRingException corrupt = checkReservationEnd(slot);
            if (corrupt != null)
            {
                return corrupt;
            }
        }
        return null;
    }

    /**
     * @param slot index in the table.
     * @return the slot's party record.
     */
    PartyRecord record(final int slot)
    {
        return file.partyRecord(RingDescriptor.producerSlotOffset(slot) + PARTY_OFFSET);
    }

    /**
     * @param slot index in the table.
     * @return the slot's owner word now.
     */
    long ownerWord(final int slot)
    {
        return buffer.getLongVolatile(RingDescriptor.producerSlotOffset(slot) + PARTY_OFFSET + PartyDescriptor.OWNER_OFFSET); // volatile: latest
    }

    long reservationEnd(final int slot)
    {
        return buffer.getLongAcquire(RingDescriptor.producerSlotOffset(slot) + RESERVATION_END_OFFSET); // acquire: start was written before
    }

    /**
     * Must the slot holder's claims be left alone? Yes while it is alive or attaching by the liveness rules
     * (docs/LAYOUT.md section 6.1): a pid that runs in this namespace, or a heartbeat younger than the staleness
     * period elsewhere. A holder whose heartbeat timer is merely starved (a busy machine) is never taken for dead.
     *
     * @param slot index in the table.
     * @return true if its claims must be left alone.
     */
    boolean isHeld(final int slot)
    {
        return record(slot).judge().isHeld();
    }

    /**
     * {@link #isHeld(int)} for a claim's recovery (docs/LAYOUT.md 5.7), which takes a verdict of dead that rests on the
     * heartbeat alone (6.1 point 5: another pid namespace, or a pid that cannot be checked; such a holder may be stopped,
     * not dead) only once the claim has blocked the head for the claim timeout. A death known for certain (its pid
     * checked in this namespace, another boot) counts at once.
     *
     * @param slot              index in the table.
     * @param heartbeatVerdicts true once the claim timeout has passed: a holder judged dead by its heartbeat alone is
     *                          then dead too; false: it is still taken as held.
     * @return true if its claims must be left alone.
     */
    boolean isHeld(final int slot, final boolean heartbeatVerdicts)
    {
        final PartyStatus holder = record(slot).judge();
        return holder.isHeld() ||
            (!heartbeatVerdicts && holder.liveness() == PartyStatus.Liveness.DEAD && holder.heartbeatOnly());
    }

    /**
     * @param slot      index in the table.
     * @param timeoutMs longest heartbeat age still taken as alive.
     * @return true if the slot's holder is alive by the liveness rules and its heartbeat is at most
     *         {@code timeoutMs} old (rings in direct memory have no heartbeat: only the first condition applies).
     */
    boolean isAlive(final int slot, final long timeoutMs)
    {
        final PartyStatus holder = record(slot).judge();
        return holder.liveness() == PartyStatus.Liveness.ALIVE && (file.path() == null || holder.heartbeatAgeMs() <= timeoutMs);
    }

    /**
     * The owner of a claim (its marker names slot and generation) is gone if the slot changed hands since, or its holder
     * is not {@link #isHeld(int, boolean) held}.
     *
     * @param marker            the claim header's type id, a claim marker of an existing slot.
     * @param heartbeatVerdicts true once the claim timeout has passed (see {@link #isHeld(int, boolean)}).
     */
    boolean isClaimOwnerDead(final int marker, final boolean heartbeatVerdicts)
    {
        final int slot = ClaimMarker.slot(marker);
        if (!ClaimMarker.isOfGeneration(marker, PartyDescriptor.generation(ownerWord(slot))))
        {
            return true;
        }
        return !isHeld(slot, heartbeatVerdicts);
    }

    /**
     * @param position a ring position.
     * @return true if any slot's reservation range covers it.
     */
    boolean coversAny(final long position)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (covers(slot, position))
            {
                return true;
            }
        }
        return false;
    }

    private boolean covers(final int slot, final long position)
    {
        final int offset = RingDescriptor.producerSlotOffset(slot);
        final long end = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: start is written before end
        return end > position && buffer.getLong(offset + RESERVATION_START_OFFSET) <= position;
    }

    /**
     * The range a recovery of a zero header at {@code position} pads when it is the only one covering it (docs/LAYOUT.md
     * 5.7 case b, step 1). More than one slot may cover it: a producer stopped or killed after recording a range whose
     * tail CAS then failed leaves a stale range over the one another producer really reserved, and a stale end may lie
     * inside the real range; the consumer then pads to the lowest covering end that is a frame boundary and revokes every
     * covering range that ends there or below ({@link #coveringReservations}).
     *
     * @param position a ring position whose frame header is still zero.
     * @return the slot whose range covering it ends first (the lowest such slot on a tie), or {@link #NO_SLOT} if none
     *         covers it.
     */
    int findReservation(final long position)
    {
        int found = NO_SLOT;
        long foundEnd = Long.MAX_VALUE;
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long end = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: start is written before end
            if (end > position && end < foundEnd && buffer.getLong(offset + RESERVATION_START_OFFSET) <= position)
            {
                found = slot;
                foundEnd = end;
            }
        }
        return found;
    }

    /**
     * The ranges covering a zero header at {@code position}, each read once (acquire of the end, then the start): for a
     * recovery that must revoke every one of them (docs/LAYOUT.md 5.7 case b, step 1).
     *
     * @param position a ring position whose frame header is still zero.
     * @param ends     one entry per slot: set to the slot's reservation end if its range covers {@code position}, else 0.
     * @return how many slots' ranges cover it.
     */
    int coveringReservations(final long position, final long[] ends)
    {
        int covering = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long end = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: start is written before end
            final boolean covers = end > position && buffer.getLong(offset + RESERVATION_START_OFFSET) <= position;
            ends[slot] = covers ? end : 0;
            covering += covers ? 1 : 0;
        }
        return covering;
    }

    /**
     * @param position a ring position.
     * @param head     the head, read before.
     * @return true if a slot records a range starting at {@code position} whose end is above the head: a producer read
     *         the tail there (5.4 step 2.3), so {@code position} is a reservation boundary.
     */
    boolean recordsRangeStartingAt(final long position, final long head)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long end = buffer.getLongAcquire(offset + RESERVATION_END_OFFSET); // acquire: start is written before end
            if (end > head && buffer.getLong(offset + RESERVATION_START_OFFSET) == position)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param header a frame header word.
     * @return true if it is a claim of a slot whose reservation is revoked now: a revoked producer's late claim
     *         (docs/LAYOUT.md 5.3), about to be withdrawn, which marks no frame boundary.
     */
    boolean isRevokedProducersClaim(final long header)
    {
        if (FrameHeader.length(header) >= 0 || !ClaimMarker.isMarker(FrameHeader.typeId(header)))
        {
            return false;
        }
        final int slot = ClaimMarker.slot(FrameHeader.typeId(header));
        return slot < slots && reservationEnd(slot) == ProducerSlotDescriptor.RESERVATION_REVOKED;
    }

    /**
     * @param position          a ring position whose frame header is still zero.
     * @param heartbeatVerdicts true once the claim timeout has passed (see {@link #isHeld(int, boolean)}).
     * @return true if a slot whose range covers it is {@link #isHeld(int, boolean) held}: its owner may still write the
     *         header (or, for a stale range, move on to its next one), so nothing there is recovered yet. Reads /proc.
     */
    boolean isCoveringSlotHeld(final long position, final boolean heartbeatVerdicts)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (covers(slot, position) && isHeld(slot, heartbeatVerdicts))
            {
                return true;
            }
        }
        return false;
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
     * @return true if some slot is held by a process not known to be dead (attaching counts as held). Reads /proc
     *         for every held slot.
     */
    boolean hasHeldSlot()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (PartyDescriptor.pid(ownerWord(slot)) != 0 && isHeld(slot))
            {
                return true;
            }
        }
        return false;
    }
}
