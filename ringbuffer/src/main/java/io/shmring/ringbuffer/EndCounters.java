package io.shmring.ringbuffer;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One ring end's counters in the ring file (docs/LAYOUT.md section 2.4), so a monitor in another process can read them:
 * messages and payload bytes this end moved, native wake calls it made, and (producers) offers or claims that found
 * the ring full. The end that holds the role is the only writer: each count is kept in this object and stored with a
 * release store (never an atomic read-modify-write), so a reader sees each value whole, but two counters of one record
 * may be from different moments. A new holder of the role continues from the values in the file: counts are since the
 * ring's creation. Not thread-safe: driven by one thread at a time (an MPSC producer's threads take turns under the
 * slot's reservation lock, whose CAS and release store order their plain updates of the counts kept here).
 */
final class EndCounters
{
    /** Messages published (producer) or consumed (consumer), int64. */
    static final int MESSAGES_OFFSET = 0;
    /** Payload bytes of those messages (frame headers and padding not counted), int64. */
    static final int BYTES_OFFSET = MESSAGES_OFFSET + Long.BYTES;
    /** Native wake calls this end made (FUTEX_WAKE, or sem_post rounds), int64. */
    static final int WAKE_CALLS_OFFSET = BYTES_OFFSET + Long.BYTES;
    /** Producers: offers and claims that found no space; 0 for consumers, int64. */
    static final int FULL_EVENTS_OFFSET = WAKE_CALLS_OFFSET + Long.BYTES;
    /** Bytes of one record. */
    static final int LENGTH = FULL_EVENTS_OFFSET + Long.BYTES;

    private final AtomicBuffer buffer;
    private final int offset;
    private long messages;
    private long bytes;
    private long wakeCalls;
    private long fullEvents;

    /**
     * @param buffer the ring file.
     * @param offset file offset of the record; the caller holds the role that owns it.
     */
    EndCounters(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        // acquire: continue from the previous holder's last stores (it is gone or was taken over)
        this.messages = buffer.getLongAcquire(offset + MESSAGES_OFFSET);
        this.bytes = buffer.getLongAcquire(offset + BYTES_OFFSET); // acquire: as above
        this.wakeCalls = buffer.getLongAcquire(offset + WAKE_CALLS_OFFSET); // acquire: as above
        this.fullEvents = buffer.getLongAcquire(offset + FULL_EVENTS_OFFSET); // acquire: as above
    }

    /**
     * After a publication or a poll batch.
     *
     * @param count        messages moved.
     * @param payloadBytes their payload bytes.
     */
    void countMessages(final long count, final long payloadBytes)
    {
        messages += count;
        bytes += payloadBytes;
        buffer.putLongRelease(offset + MESSAGES_OFFSET, messages); // release: the one writer publishes the count whole
        buffer.putLongRelease(offset + BYTES_OFFSET, bytes); // release: as above
    }

    /** After a native wake call (rare: only when someone sleeps). */
    void countWakeCall()
    {
        buffer.putLongRelease(offset + WAKE_CALLS_OFFSET, ++wakeCalls); // release: the one writer publishes the count whole
    }

    /** A producer's offer or claim that found no space. */
    void countFull()
    {
        buffer.putLongRelease(offset + FULL_EVENTS_OFFSET, ++fullEvents); // release: the one writer publishes the count whole
    }

    /**
     * @param buffer a ring file.
     * @param offset a record's file offset.
     * @param field  one of the field offsets above.
     * @return that counter now (acquire: a monitor's snapshot; other counters may be from another moment).
     */
    static long read(final AtomicBuffer buffer, final int offset, final int field)
    {
        return buffer.getLongAcquire(offset + field); // acquire: pairs with the writer's release store
    }
}
