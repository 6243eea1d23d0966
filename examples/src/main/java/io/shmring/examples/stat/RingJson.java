package io.shmring.examples.stat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.WakeProtocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Writes a {@link RingSnapshot} as one JSON object on one line, for monitors ({@code stat --json}, {@code list --json}).
 * Field names are stable; a new field may be added, none is renamed or removed without a note in README. Units are in
 * the names ({@code Bytes}, {@code Ms}, {@code PerSecond}); positions are bytes since the ring was created.
 * <pre>
 * {"path":"/dev/shm/md","kind":"SPSC","layoutVersion":3,"wakeProtocol":"MEMBARRIER","capacityBytes":1048576,"maxMessageBytes":65536,
 *  "wakeMechanism":"FUTEX","createdEpochMs":...,"creatorPid":...,"producerPosition":...,"consumerPosition":...,
 *  "pendingBytes":...,"fill":0.25,"pendingMessages":12 (-1 when the consumer kept moving),"openClaims":0,
 *  "unwrittenBytes":0,"headBlock":null or {"position":...,"kind":"CLAIM|RESERVATION","slot":... (the slot that decides;
 *     -1: no slot records it),"holderChanged":false (a claim of an earlier holder of the slot),"consumerWaits":true (a
 *     live owner; false: the consumer recovers it, LAYOUT 5.7)} (MPSC: the uncommitted frame at the consumer's position),
 *  "corruption":null or {"field":...,"position":...,"value":...,"message":...},
 *  "consumer":PARTY,"producers":[PARTY with "slot" (-1 for SPSC), "reservationStart", "reservationEnd" (the slot's fields as
 *     the file holds them, LAYOUT 5.1; 0 for SPSC)],
 *  "producerSlots":0,"streamGeneration":0,"streamEnded":false,
 *  "notEmpty":{"waiters":0,"sequence":0},"notFull":{"waiters":0,"sequence":0},"recoveredClaims":0,
 *  "counters":{"messagesPublished":...,"bytesPublished":...,"messagesConsumed":...,"bytesConsumed":...,
 *     "wakeCalls":...,"fullEvents":...} (since creation; LAYOUT 2.4; bytes are payload bytes;
 *     broadcast: consumed is the consumer slots' deliveries summed, each slot's since its consumer joined),
 *  "stale":false,"inUse":true,
 *  "broadcast" (broadcast rings only; null otherwise):{"policy":"LOSSLESS|LOSSY","stallTimeoutMs":...,
 *     "droppedConsumers":...,"consumerSlots":8,"consumers":[PARTY with "slot","reading","position" (-1: not reading),
 *     "lagBytes" (-1: not reading),"delivered","deliveredBytes","laps","lostBytes","drops"]}
 *     (for a broadcast ring "consumerPosition" is the slowest reading consumer's and "pendingMessages" is -1),
 *  "rates" (only with --watch, from the previous snapshot):{"intervalMs":...,"publishedMessagesPerSecond":...,
 *     "consumedMessagesPerSecond":...,"publishedBytesPerSecond":...,
 *     "consumedBytesPerSecond":...,"wakesPerSecond":...}}
 * PARTY = {"liveness":"FREE|ATTACHING|ALIVE|DEAD","pid":...,"generation":...,"heartbeatAgeMs":... (-1: none yet),
 *          "heartbeatAheadMs":... (how far the heartbeat is ahead of this clock, its age then 0; else 0),
 *          "sameNamespace":true}
 * </pre>
 * Not thread-safe: one writer per output.
 */
public final class RingJson implements AutoCloseable
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Writer out;
    private final JsonGenerator json;

    /**
     * @param out where the lines go; flushed after each object, never closed by this class.
     */
    public RingJson(final Writer out)
    {
        this.out = out;
        try
        {
            this.json = FACTORY.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // objects are separated by this class's line ends, not Jackson's space
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Write one snapshot as one line.
     *
     * @param snapshot what a ring held.
     * @param rates    rates since the previous snapshot of the same ring, or null.
     * @throws UncheckedIOException if the output fails.
     */
    public void write(final RingSnapshot snapshot, final RingRates rates)
    {
        try
        {
            json.writeStartObject();
            json.writeStringField("path", String.valueOf(snapshot.path()));
            json.writeStringField("kind", snapshot.kind().name());
            json.writeNumberField("layoutVersion", snapshot.layoutVersion());
            final WakeProtocol protocol = RingDescriptor.wakeProtocol(snapshot.layoutVersion());
            json.writeStringField("wakeProtocol", protocol == null ? null : protocol.name());
            json.writeNumberField("capacityBytes", snapshot.capacity());
            json.writeNumberField("maxMessageBytes", snapshot.maxMessageLength());
            json.writeStringField("wakeMechanism", snapshot.wakeMechanism().name());
            json.writeNumberField("createdEpochMs", snapshot.creationTimeMs());
            json.writeNumberField("creatorPid", snapshot.creatorPid());
            json.writeNumberField("producerPosition", snapshot.tail());
            json.writeNumberField("consumerPosition", snapshot.head());
            json.writeNumberField("pendingBytes", snapshot.pendingBytes());
            json.writeNumberField("fill", snapshot.fill());
            json.writeNumberField("pendingMessages", snapshot.pending().messages());
            json.writeNumberField("openClaims", snapshot.pending().openClaims());
            json.writeNumberField("unwrittenBytes", snapshot.pending().unwrittenBytes());
            writeHeadBlock(snapshot.pending().headBlock(), snapshot.headVerdict());
            writeCorruption(snapshot.pending().corruption());
            json.writeFieldName("consumer");
            writeParty(snapshot.consumer());
            json.writeEndObject();
            json.writeArrayFieldStart("producers");
            for (final RingSnapshot.Producer producer : snapshot.producers())
            {
                writeParty(producer.status());
                json.writeNumberField("slot", producer.slot());
                json.writeNumberField("reservationStart", producer.reservationStart());
                json.writeNumberField("reservationEnd", producer.reservationEnd());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("producerSlots", snapshot.producerSlots());
            json.writeNumberField("streamGeneration", snapshot.streamGeneration());
            json.writeBooleanField("streamEnded", snapshot.streamEnded());
            writeWakeLine("notEmpty", snapshot.notEmpty());
            writeWakeLine("notFull", snapshot.notFull());
            json.writeNumberField("recoveredClaims", snapshot.recoveredClaims());
            json.writeObjectFieldStart("counters");
            json.writeNumberField("messagesPublished", snapshot.counters().messagesPublished());
            json.writeNumberField("bytesPublished", snapshot.counters().bytesPublished());
            json.writeNumberField("messagesConsumed", snapshot.counters().messagesConsumed());
            json.writeNumberField("bytesConsumed", snapshot.counters().bytesConsumed());
            json.writeNumberField("wakeCalls", snapshot.counters().wakeCalls());
            json.writeNumberField("fullEvents", snapshot.counters().fullEvents());
            json.writeEndObject();
            json.writeBooleanField("stale", snapshot.isStale());
            json.writeBooleanField("inUse", snapshot.hasLiveParty());
            writeBroadcast(snapshot.broadcast(), snapshot.tail());
            if (rates != null)
            {
                json.writeObjectFieldStart("rates");
                json.writeNumberField("intervalMs", rates.intervalMs());
                json.writeNumberField("publishedMessagesPerSecond", rates.publishedMessagesPerSecond());
                json.writeNumberField("consumedMessagesPerSecond", rates.consumedMessagesPerSecond());
                json.writeNumberField("publishedBytesPerSecond", rates.publishedBytesPerSecond());
                json.writeNumberField("consumedBytesPerSecond", rates.consumedBytesPerSecond());
                json.writeNumberField("wakesPerSecond", rates.wakesPerSecond());
                json.writeEndObject();
            }
            endLine();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Leaves the party's object open, so a caller may add fields. */
    private void writeParty(final PartyStatus status) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("liveness", status.liveness().name());
        json.writeNumberField("pid", status.pid());
        json.writeNumberField("generation", status.generation());
        json.writeNumberField("heartbeatAgeMs", status.heartbeatAgeMs());
        json.writeNumberField("heartbeatAheadMs", status.heartbeatAheadMs());
        json.writeBooleanField("sameNamespace", status.sameNamespace());
    }

    private void writeBroadcast(final RingSnapshot.Broadcast broadcast, final long tail) throws IOException
    {
        if (broadcast == null)
        {
            json.writeNullField("broadcast");
            return;
        }
        json.writeObjectFieldStart("broadcast");
        json.writeStringField("policy", broadcast.policy().name());
        json.writeNumberField("stallTimeoutMs", broadcast.stallTimeoutMs());
        json.writeNumberField("droppedConsumers", broadcast.droppedConsumers());
        json.writeNumberField("consumerSlots", broadcast.consumerSlots());
        json.writeArrayFieldStart("consumers");
        for (final BroadcastSlotStatus slot : broadcast.slots())
        {
            writeParty(slot.party());
            json.writeNumberField("slot", slot.slot());
            json.writeBooleanField("reading", slot.isReading());
            json.writeNumberField("position", slot.isReading() ? slot.position() : -1);
            json.writeNumberField("lagBytes", slot.lagBytes(tail));
            json.writeNumberField("delivered", slot.delivered());
            json.writeNumberField("deliveredBytes", slot.deliveredBytes());
            json.writeNumberField("laps", slot.laps());
            json.writeNumberField("lostBytes", slot.lostBytes());
            json.writeNumberField("drops", slot.drops());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /**
     * Write one line for a file that could not be read as a ring: {@code {"path": ..., "unreadable": {"type": ...,
     * "message": ...}}}, the exception's simple class name and message.
     *
     * @param path the file.
     * @param why  what opening or reading it threw.
     * @throws UncheckedIOException if the output fails.
     */
    public void writeUnreadable(final Path path, final RuntimeException why)
    {
        try
        {
            json.writeStartObject();
            json.writeStringField("path", String.valueOf(path));
            json.writeObjectFieldStart("unreadable");
            json.writeStringField("type", why.getClass().getSimpleName());
            json.writeStringField("message", why.getMessage());
            json.writeEndObject();
            endLine();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * End the line's object and the line, and flush both, so that a reader of the stream sees each ring at once.
     */
    private void endLine() throws IOException
    {
        json.writeEndObject();
        json.flush();
        out.write(System.lineSeparator());
        out.flush();
    }

    private void writeHeadBlock(final PendingFrames.HeadBlock block, final RingSnapshot.HeadVerdict verdict) throws IOException
    {
        if (block == null)
        {
            json.writeNullField("headBlock");
            return;
        }
        json.writeObjectFieldStart("headBlock");
        json.writeNumberField("position", block.position());
        json.writeStringField("kind", block.claim() ? "CLAIM" : "RESERVATION");
        json.writeNumberField("slot", verdict.slot());
        json.writeBooleanField("holderChanged", verdict.holderChanged());
        json.writeBooleanField("consumerWaits", verdict.consumerWaits());
        json.writeEndObject();
    }

    private void writeCorruption(final CorruptRingException corruption) throws IOException
    {
        if (corruption == null)
        {
            json.writeNullField("corruption");
            return;
        }
        json.writeObjectFieldStart("corruption");
        json.writeStringField("field", corruption.field());
        json.writeNumberField("position", corruption.position());
        json.writeNumberField("value", corruption.value());
        json.writeStringField("message", corruption.getMessage());
        json.writeEndObject();
    }

    private void writeWakeLine(final String name, final RingSnapshot.WakeLine line) throws IOException
    {
        json.writeObjectFieldStart(name);
        json.writeNumberField("waiters", line.waiters());
        json.writeNumberField("sequence", line.sequence());
        json.writeEndObject();
    }

    @Override
    public void close()
    {
        try
        {
            json.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
