package io.shmring.ringbuffer.internal;


/**
 * Byte layout of one entry of an MPSC ring's producer table, at
 * {@link RingDescriptor#producerSlotOffset(int)}; {@link RingDescriptor#PRODUCER_SLOT_LENGTH} bytes.
 * Offsets are relative to the start of the slot; integers are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Party record (40 bytes: owner word, heartbeat, identity;    |   0
 *  |   see io.shmring.ringbuffer.internal.PartyDescriptor)        ...
 *  +---------------------------------------------------------------+
 *  |                   Reservation Start (int64 position)          |  40
 *  +---------------------------------------------------------------+
 *  |                   Reservation End (int64 position)            |  48
 *  +---------------------------------------------------------------+
 *  |                   Reserved (zero) up to 128                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A producer registers by taking over the slot's party record (one CAS of the owner word from free, or from a
 * holder judged dead); the generation in the owner word names the registration, and its low 18 bits go into
 * the producer's claim markers (ClaimMarker). The JVM-wide heartbeat timer beats for it every
 * {@link io.shmring.ringbuffer.internal.PartyDescriptor#HEARTBEAT_INTERVAL_MS} ms.
 * <p>
 * Reservation End doubles as a lock among the threads sharing one producer: a thread takes it with a
 * CAS from 0 to {@link #RESERVATION_LOCKED}, writes the range it is about to claim (start, then end)
 * before its CAS on the tail, and ends the reservation with a CAS from that end to 0 once the claimed
 * frame's header is written. While a header is still zero the range tells the consumer where a claim
 * starts and ends, so a producer that dies between its tail CAS and its header write can be recovered
 * too. A consumer that recovers a range (padding over it) then CASes its end to
 * {@link #RESERVATION_REVOKED}: the owner's ending CAS fails, and it withdraws whatever it wrote there
 * (the consumer may already have consumed and re-zeroed the range, so a late header CAS from 0 can
 * succeed behind the head) and claims anew. A range whose end is at or below the head is stale.
 */
public final class ProducerSlotDescriptor
{
    /** Reservation End while a thread holds the reservation but has not yet written a range (or stores a wake count). */
    public static final long RESERVATION_LOCKED = -1;

    /** Reservation End after the consumer recovered the range: the owner must withdraw and claim anew. */
    public static final long RESERVATION_REVOKED = -2;

    /** The slot's party record (io.shmring.ringbuffer.internal.PartyDescriptor). */
    public static final int PARTY_OFFSET = 0;
    /** Reservation Start (int64 ring position). */
    public static final int RESERVATION_START_OFFSET = PARTY_OFFSET + PartyDescriptor.LENGTH;
    /** Reservation End (int64 ring position, or {@link #RESERVATION_LOCKED} / {@link #RESERVATION_REVOKED}). */
    public static final int RESERVATION_END_OFFSET = RESERVATION_START_OFFSET + Long.BYTES;
    /** The slot's counters (docs/LAYOUT.md 2.4): messages and bytes claimed, wake calls, full-ring events. */
    public static final int COUNTERS_OFFSET = RESERVATION_END_OFFSET + Long.BYTES;
    /** Bytes of the slot in use; the rest is reserved. */
    public static final int SLOT_FIELDS_LENGTH = COUNTERS_OFFSET + 4 * Long.BYTES;

    private ProducerSlotDescriptor()
    {
    }
}
