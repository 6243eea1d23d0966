package io.shmring.examples.stat;

import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.ProducerSlotDescriptor;
import io.shmring.ringbuffer.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.io.PrintWriter;
import java.time.Instant;

/**
 * Prints the header and live state of a ring some other process is using. Only reads the mapping:
 * it never attaches as producer or consumer and stores nothing, so watching a ring cannot disturb it.
 */
public final class RingReport
{
    private static final String ROW = "%-18s %s%n";

    private final RingFile ring;
    private final AtomicBuffer buffer;

    /**
     * @param ring a validated ring.
     */
    public RingReport(final RingFile ring)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
    }

    /**
     * @param out where the report goes, one field a line.
     * @return the corruption the walk of the pending frames found (the report says so too), or null.
     */
    public CorruptRingException print(final PrintWriter out)
    {
        row(out, "ring", String.valueOf(ring.path()));
        row(out, "kind", ring.kind() + " (layout version " + buffer.getInt(RingDescriptor.LAYOUT_VERSION_OFFSET) + ")");
        row(out, "capacity", String.format("%,d B", ring.capacity()));
        row(out, "max message", String.format("%,d B", ring.maxMessageLength()));
        row(out, "wake mechanism", String.valueOf(ring.wakeMechanism()));
        row(out, "created", Instant.ofEpochMilli(ring.creationTimeMs()) + " by pid " + ring.creatorPid());

        final long tail = ring.producerPosition();
        row(out, "producer position", String.format("%,d", tail));
        PendingFrames pending = null;
        if (ring.kind() == RingKind.BROADCAST)
        {
            row(out, "producer", party(ring.producerStatus()));
        }
        else
        {
            final long head = ring.consumerPosition();
            row(out, "consumer position", String.format("%,d", head));
            row(out, "pending bytes", String.format("%,d", ring.size()));
            pending = PendingFrames.count(ring);
            row(out, "pending messages", pendingMessages(pending));
            row(out, "consumer", party(ring.consumerStatus()));
        }
        final long stream = buffer.getLongAcquire(RingDescriptor.STREAM_OFFSET); // acquire: a snapshot for display
        if (ring.kind() == RingKind.SPSC)
        {
            row(out, "producer", party(ring.producerStatus()));
        }
        row(out, "stream", "generation " + (stream >>> 1) + ((stream & 1) != 0 ? ", ended" : ", open"));
        row(out, "waiters", "not-empty " + waiters(RingDescriptor.NOT_EMPTY_WAKE_OFFSET) +
            ", not-full " + waiters(RingDescriptor.NOT_FULL_WAKE_OFFSET));
        if (ring.kind() == RingKind.BROADCAST)
        {
            printConsumerTable(out, tail);
            out.flush();
            return null;
        }
        row(out, "recovered claims", String.valueOf(ring.recoveredClaims()));
        if (ring.kind() == RingKind.MPSC)
        {
            printProducerTable(out);
        }
        out.flush();
        return pending.corruption();
    }

    /**
     * A broadcast ring: its policy, then every consumer slot that is held, holds a position, or has counted anything:
     * who holds it and whether they live, where it reads, how far behind the producer (lag, in bytes of the ring), and
     * its counters.
     */
    private void printConsumerTable(final PrintWriter out, final long tail)
    {
        row(out, "policy", ring.broadcastPolicy().name().toLowerCase() + (ring.broadcastPolicy() == BroadcastPolicy.LOSSLESS ?
            String.format(", stall timeout %,d ms, %,d consumers dropped", ring.stallTimeoutMs(), ring.droppedConsumers()) : ""));
        final StringBuilder rows = new StringBuilder();
        int reading = 0;
        for (int slot = 0; slot < ring.consumerSlots(); slot++)
        {
            final BroadcastSlotStatus status = ring.consumerSlotStatus(slot);
            if (status.party().liveness() == PartyStatus.Liveness.FREE && !status.isReading() && status.delivered() == 0 &&
                status.drops() == 0)
            {
                continue;
            }
            if (status.isReading())
            {
                reading++;
            }
            rows.append(String.format("  slot %-4d %s, %s, delivered %,d, laps %,d (%,d B lost), drops %,d%n", slot,
                party(status.party()), status.isReading() ?
                    String.format("position %,d, lag %,d B", status.position(), status.lagBytes(tail)) : "not reading",
                status.delivered(), status.laps(), status.lostBytes(), status.drops()));
        }
        row(out, "consumer slots", reading + " reading of " + ring.consumerSlots());
        out.print(rows);
    }

    private void printProducerTable(final PrintWriter out)
    {
        final StringBuilder rows = new StringBuilder();
        int held = 0;
        for (int slot = 0; slot < ring.producerSlots(); slot++)
        {
            final PartyStatus status = ring.producerSlotStatus(slot);
            if (status.liveness() == PartyStatus.Liveness.FREE)
            {
                continue;
            }
            held++;
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long reservationEnd = buffer.getLongAcquire(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET); // acquire: start is written before end
            final long reservationStart = buffer.getLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET);
            final String reservation = reservationEnd > ring.consumerPosition() ?
                String.format(", reserved %,d..%,d", reservationStart, reservationEnd) : "";
            rows.append(String.format("  slot %-4d %s, generation %d%s%n", slot, party(status), status.generation(), reservation));
        }
        row(out, "producer slots", held + " held of " + ring.producerSlots());
        out.print(rows);
    }

    private String waiters(final int lineOffset)
    {
        final int waiters = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.WAITERS_OFFSET); // volatile: sleepers change it from other processes
        final int sequence = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.SEQUENCE_OFFSET); // volatile: as above
        return waiters + " (sequence " + Integer.toUnsignedString(sequence) + ")";
    }

    private static String pendingMessages(final PendingFrames pending)
    {
        if (pending.corruption() != null)
        {
            final CorruptRingException corruption = pending.corruption();
            return String.format("%,d valid, then corrupt: %s=%d", pending.messages(), corruption.field(), corruption.value()) +
                (corruption.position() >= 0 ? String.format(" at position %,d", corruption.position()) : "");
        }
        if (!pending.isKnown())
        {
            return "unknown (the consumer kept moving)";
        }
        final StringBuilder text = new StringBuilder(String.format("%,d", pending.messages()));
        if (pending.openClaims() > 0)
        {
            text.append(String.format(" + %,d claims not yet committed", pending.openClaims()));
        }
        if (pending.unwrittenBytes() > 0)
        {
            text.append(String.format(" + %,d B reserved, header not yet written", pending.unwrittenBytes()));
        }
        return text.toString();
    }

    private static String party(final PartyStatus status)
    {
        if (status.liveness() == PartyStatus.Liveness.FREE)
        {
            return "none";
        }
        return "pid " + status.pid() + " (" + status.liveness().name().toLowerCase() + ")" +
            (status.sameNamespace() ? "" : " in another pid namespace") +
            (status.heartbeatAgeMs() < 0 ? ", no heartbeat yet" : String.format(", heartbeat %,d ms ago", status.heartbeatAgeMs()));
    }

    private static void row(final PrintWriter out, final String name, final String value)
    {
        out.printf(ROW, name, value);
    }
}
