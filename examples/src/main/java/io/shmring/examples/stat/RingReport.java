package io.shmring.examples.stat;

import io.shmring.core.ProcessIdentity;
import io.shmring.ringbuffer.ProducerSlotDescriptor;
import io.shmring.ringbuffer.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
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
    private final long nowMs;

    /**
     * @param ring  a validated ring.
     * @param nowMs the time heartbeats are aged against (epoch ms).
     */
    public RingReport(final RingFile ring, final long nowMs)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.nowMs = nowMs;
    }

    /**
     * @param out where the report goes, one field a line.
     */
    public void print(final PrintWriter out)
    {
        row(out, "ring", String.valueOf(ring.path()));
        row(out, "kind", ring.kind() + " (layout version " + buffer.getInt(RingDescriptor.LAYOUT_VERSION_OFFSET) + ")");
        row(out, "capacity", String.format("%,d B", ring.capacity()));
        row(out, "max message", String.format("%,d B", ring.maxMessageLength()));
        row(out, "wake mechanism", String.valueOf(ring.wakeMechanism()));
        row(out, "created", Instant.ofEpochMilli(ring.creationTimeMs()) + " by " +
            process(ring.creatorPid(), ring.creatorStartTimeMs()));

        final long tail = ring.producerPosition();
        final long head = ring.consumerPosition();
        row(out, "producer position", String.format("%,d", tail));
        row(out, "consumer position", String.format("%,d", head));
        row(out, "pending bytes", String.format("%,d", ring.size()));
        row(out, "pending messages", pendingMessages(PendingFrames.count(ring)));

        row(out, "consumer", process(buffer.getLongAcquire(RingDescriptor.CONSUMER_PID_OFFSET), // acquire: pairs with the attach
            buffer.getLongAcquire(RingDescriptor.CONSUMER_START_TIME_OFFSET)) + ", heartbeat " + // acquire: written with the pid
            age(ring.consumerHeartbeatMs()));
        if (ring.kind() == RingKind.SPSC)
        {
            final boolean closed = buffer.getIntAcquire(RingDescriptor.PRODUCER_CLOSED_OFFSET) == 1; // acquire: pairs with close
            row(out, "producer", process(buffer.getLongAcquire(RingDescriptor.PRODUCER_PID_OFFSET), // acquire: pairs with the attach
                buffer.getLongAcquire(RingDescriptor.PRODUCER_START_TIME_OFFSET)) + // acquire: written with the pid
                (closed ? ", closed (end of stream)" : ""));
        }
        row(out, "waiters", "not-empty " + waiters(RingDescriptor.NOT_EMPTY_WAKE_OFFSET) +
            ", not-full " + waiters(RingDescriptor.NOT_FULL_WAKE_OFFSET));
        row(out, "recovered claims", String.valueOf(ring.recoveredClaims()));
        if (ring.kind() == RingKind.MPSC)
        {
            printProducerTable(out);
        }
        out.flush();
    }

    private void printProducerTable(final PrintWriter out)
    {
        int held = 0;
        for (int slot = 0; slot < ring.producerSlots(); slot++)
        {
            if (buffer.getLongAcquire(RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.PID_OFFSET) != 0) // acquire: pairs with registration
            {
                held++;
            }
        }
        row(out, "producer slots", held + " held of " + ring.producerSlots());
        for (int slot = 0; slot < ring.producerSlots(); slot++)
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final long pid = buffer.getLongAcquire(offset + ProducerSlotDescriptor.PID_OFFSET); // acquire: pairs with registration
            if (pid == 0)
            {
                continue;
            }
            final long startTime = buffer.getLongAcquire(offset + ProducerSlotDescriptor.START_TIME_OFFSET); // acquire: written after the pid
            final long heartbeat = buffer.getLongOpaque(offset + ProducerSlotDescriptor.HEARTBEAT_OFFSET); // opaque: a recent value is enough
            final int generation = buffer.getIntAcquire(offset + ProducerSlotDescriptor.GENERATION_OFFSET); // acquire: pairs with registration
            final long reservationEnd = buffer.getLongAcquire(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET); // acquire: start is written before end
            final long reservationStart = buffer.getLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET);
            final String reservation = reservationEnd > ring.consumerPosition() ?
                String.format(", reserved %,d..%,d", reservationStart, reservationEnd) : "";
            out.printf("  slot %-4d %s, heartbeat %s, generation %d%s%n",
                slot, process(pid, startTime), age(heartbeat), generation, reservation);
        }
    }

    private String waiters(final int lineOffset)
    {
        final int waiters = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.WAITERS_OFFSET); // volatile: sleepers change it from other processes
        final int sequence = buffer.getIntVolatile(lineOffset + WakeLineDescriptor.SEQUENCE_OFFSET); // volatile: as above
        return waiters + " (sequence " + Integer.toUnsignedString(sequence) + ")";
    }

    private static String pendingMessages(final PendingFrames pending)
    {
        if (!pending.isKnown())
        {
            return "unknown (the consumer kept moving, or a header was unreadable)";
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

    private static String process(final long pid, final long startTimeMs)
    {
        if (pid == 0)
        {
            return "none";
        }
        return "pid " + pid + (ProcessIdentity.isAlive(pid, startTimeMs) ? " (alive)" : " (dead)");
    }

    private String age(final long timestampMs)
    {
        return timestampMs == 0 ? "never" : String.format("%,d ms ago", Math.max(0, nowMs - timestampMs));
    }

    private static void row(final PrintWriter out, final String name, final String value)
    {
        out.printf(ROW, name, value);
    }
}
