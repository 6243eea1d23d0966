package io.shmring.examples.stat;

import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingCounters;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the header and live state of a ring some other process is using, from a {@link RingSnapshot}: one field a
 * line, for people. {@link RingJson} writes the same snapshot for programs.
 */
public final class RingReport
{
    private static final String ROW = "%-18s %s%n";

    private RingReport()
    {
    }

    /**
     * @param ring a validated ring (read-only is enough).
     * @param out  where the report goes.
     * @return the corruption the walk of the pending frames found (the report says so too), or null.
     */
    public static CorruptRingException print(final RingFile ring, final PrintWriter out)
    {
        final RingSnapshot snapshot = RingSnapshot.of(ring);
        print(snapshot, out);
        return snapshot.pending().corruption();
    }

    /**
     * @param snapshot what a ring held.
     * @param out      where the report goes, one field a line.
     */
    public static void print(final RingSnapshot snapshot, final PrintWriter out)
    {
        header(out, snapshot.path(), snapshot.kind(), snapshot.layoutVersion(), snapshot.capacity(), snapshot.maxMessageLength(),
            snapshot.wakeMechanism(), snapshot.creationTimeMs(), snapshot.creatorPid());
        if (snapshot.broadcast() != null)
        {
            printBroadcast(snapshot, out);
            return;
        }
        row(out, "producer position", String.format("%,d", snapshot.tail()));
        row(out, "consumer position", String.format("%,d", snapshot.head()));
        row(out, "pending bytes", String.format("%,d", snapshot.pendingBytes()));
        row(out, "pending messages", pendingMessages(snapshot.pending()));
        if (snapshot.pending().headBlock() != null)
        {
            row(out, "head blocked", headBlock(snapshot.pending().headBlock(), snapshot.headVerdict()));
        }
        row(out, "consumer", party(snapshot.consumer()));
        if (snapshot.kind() == RingKind.SPSC)
        {
            row(out, "producer", party(snapshot.producers().get(0).status()));
        }
        row(out, "stream", stream(snapshot.streamGeneration(), snapshot.streamEnded()));
        row(out, "waiters", "not-empty " + waiters(snapshot.notEmpty()) + ", not-full " + waiters(snapshot.notFull()));
        row(out, "recovered claims", String.valueOf(snapshot.recoveredClaims()));
        counters(out, snapshot);
        if (snapshot.kind() == RingKind.MPSC)
        {
            // held = alive or attaching (LAYOUT 5.8), as list counts them: a dead holder's slot is listed, not held
            final List<PartyStatus> holders = new ArrayList<>();
            for (final RingSnapshot.Producer producer : snapshot.producers())
            {
                holders.add(producer.status());
            }
            row(out, "producer slots", liveAndDead(holders) + " of " + snapshot.producerSlots());
            for (final RingSnapshot.Producer producer : snapshot.producers())
            {
                final String reservation = producer.hasRangeAbove(snapshot.head()) ?
                    String.format(", reserved %,d..%,d", producer.reservationStart(), producer.reservationEnd()) : "";
                out.printf("  slot %-4d %s, generation %d%s%n", producer.slot(), party(producer.status()),
                    producer.status().generation(), reservation);
            }
        }
        out.flush();
    }

    /**
     * A broadcast ring after the header: producer, stream, wake lines, policy, then every consumer slot that is held,
     * holds a position, or has counted anything: who holds it and whether they live, where it reads, how far behind the
     * producer (lag, in bytes of the ring), and its counters.
     */
    private static void printBroadcast(final RingSnapshot snapshot, final PrintWriter out)
    {
        final RingSnapshot.Broadcast broadcast = snapshot.broadcast();
        final long tail = snapshot.tail();
        row(out, "producer position", String.format("%,d", tail));
        if (snapshot.pending().corruption() != null)
        {
            row(out, "corrupt", corruption(snapshot.pending().corruption()));
        }
        row(out, "producer", party(snapshot.producers().get(0).status()));
        row(out, "stream", stream(snapshot.streamGeneration(), snapshot.streamEnded()));
        row(out, "waiters", "not-empty " + waiters(snapshot.notEmpty()) + ", not-full " + waiters(snapshot.notFull()));
        counters(out, snapshot);
        row(out, "policy", broadcast.policy().name().toLowerCase() + (broadcast.policy() == BroadcastPolicy.LOSSLESS ?
            String.format(", stall timeout %,d ms, %,d consumers dropped", broadcast.stallTimeoutMs(),
                broadcast.droppedConsumers()) : ""));
        int reading = 0;
        for (final BroadcastSlotStatus status : broadcast.slots())
        {
            reading += status.isReading() ? 1 : 0;
        }
        row(out, "consumer slots", reading + " reading of " + broadcast.consumerSlots());
        for (final BroadcastSlotStatus status : broadcast.slots())
        {
            out.printf("  slot %-4d %s, %s, delivered %,d (%,d B), laps %,d (%,d B lost), drops %,d%n", status.slot(),
                party(status.party()), status.isReading() ?
                    String.format("position %,d, lag %,d B", status.position(), status.lagBytes(tail)) : "not reading",
                status.delivered(), status.deliveredBytes(), status.laps(), status.lostBytes(), status.drops());
        }
        out.flush();
    }

    /** The ends' counters (LAYOUT 2.4), since the ring was created. */
    private static void counters(final PrintWriter out, final RingSnapshot snapshot)
    {
        final RingCounters counters = snapshot.counters();
        row(out, "published", String.format("%,d messages, %,d B", counters.messagesPublished(), counters.bytesPublished()));
        row(out, "consumed", String.format("%,d messages, %,d B", counters.messagesConsumed(), counters.bytesConsumed()) +
            (snapshot.broadcast() == null ? "" : " (deliveries, summed over the consumer slots, each since its consumer joined)"));
        row(out, "wake calls", String.format("%,d (full-ring events %,d)", counters.wakeCalls(), counters.fullEvents()));
    }

    /** The header rows every ring kind has. */
    private static void header(final PrintWriter out, final Path path, final RingKind kind, final int layoutVersion,
        final int capacity, final int maxMessageLength, final WakeMechanism wakeMechanism, final long creationTimeMs,
        final long creatorPid)
    {
        row(out, "ring", String.valueOf(path));
        row(out, "kind", kind + " (layout version " + layoutVersion + wakeProtocol(layoutVersion) + ")");
        row(out, "capacity", String.format("%,d B", capacity));
        row(out, "max message", String.format("%,d B", maxMessageLength));
        row(out, "wake mechanism", String.valueOf(wakeMechanism));
        row(out, "created", Instant.ofEpochMilli(creationTimeMs) + " by pid " + creatorPid);
    }

    /** What the layout version says of the wake lines (docs/LAYOUT.md 2.1). */
    private static String wakeProtocol(final int layoutVersion)
    {
        final WakeProtocol protocol = RingDescriptor.wakeProtocol(layoutVersion);
        if (protocol == null)
        {
            return "";
        }
        return protocol == WakeProtocol.MEMBARRIER ? ": sleepers issue membarrier" : ": notifiers fence";
    }

    private static String stream(final long generation, final boolean ended)
    {
        return "generation " + generation + (ended ? ", ended" : ", open");
    }

    private static String waiters(final RingSnapshot.WakeLine line)
    {
        // each sleeper adds 1 and removes it on every way out (LAYOUT 4.3): below 0 no protocol step makes
        return line.waiters() + " (sequence " + line.sequence() + (line.waiters() < 0 ? ", impossible: below 0)" : ")");
    }

    /**
     * What holds the MPSC consumer at its head, whose it is, and what the consumer does about it (LAYOUT 5.7): waits for
     * a live owner's commit, or recovers the frame of a gone one.
     */
    private static String headBlock(final PendingFrames.HeadBlock block, final RingSnapshot.HeadVerdict verdict)
    {
        final String what = String.format("at position %,d by %s", block.position(),
            block.claim() ? "an open claim" : "a reserved range whose header is not written yet");
        if (verdict.slot() < 0)
        {
            return what + " that no producer slot records (corrupt: the consumer refuses the ring)";
        }
        final String whose = " of slot " + verdict.slot() + ": " + (verdict.holder() == null ? "none (free)" :
            party(verdict.holder()) + (verdict.holderChanged() ? ", not the claim's owner (the slot changed hands since)" : ""));
        return what + whose + (verdict.consumerWaits() ? "; the consumer waits for its commit" :
            "; the consumer recovers it (LAYOUT 5.7" + (verdict.holder() != null && verdict.holder().heartbeatOnly() &&
            !verdict.holderChanged() ? ", after its claim timeout: judged by heartbeat alone" : "") + ")") +
            (block.slots().size() > 1 ? "; slots covering it: " + block.slots() : "");
    }

    private static String pendingMessages(final PendingFrames pending)
    {
        if (pending.corruption() != null)
        {
            return String.format("%,d valid, then corrupt: ", pending.messages()) + corruption(pending.corruption());
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

    private static String corruption(final CorruptRingException corruption)
    {
        return corruption.field() + "=" + corruption.value() +
            (corruption.position() >= 0 ? String.format(" at position %,d", corruption.position()) : "");
    }

    /**
     * @param status a role, judged.
     * @return how {@code stat} and {@code list} describe it: "none", or pid, liveness and heartbeat age.
     */
    static String party(final PartyStatus status)
    {
        if (status.liveness() == PartyStatus.Liveness.FREE)
        {
            return "none";
        }
        return "pid " + status.pid() + " (" + status.liveness().name().toLowerCase() + ")" +
            (status.sameNamespace() ? "" : " in another pid namespace") +
            (status.heartbeatAgeMs() < 0 ? ", no heartbeat yet" : status.heartbeatAheadMs() > 0 ?
                String.format(", heartbeat %,d ms ahead of this clock (never judged stale; another time namespace, or an " +
                    "overwritten word)", status.heartbeatAheadMs()) :
                String.format(", heartbeat %,d ms ago", status.heartbeatAgeMs()));
    }

    /**
     * @param parties roles, judged.
     * @return how {@code stat} and {@code list} count them: "N live, M dead", live being held (alive or attaching,
     *         LAYOUT 5.8); free roles count in neither.
     */
    public static String liveAndDead(final List<PartyStatus> parties)
    {
        int live = 0;
        int dead = 0;
        for (final PartyStatus party : parties)
        {
            if (party.isHeld())
            {
                live++;
            }
            else if (party.liveness() == PartyStatus.Liveness.DEAD)
            {
                dead++;
            }
        }
        return live + " live, " + dead + " dead";
    }

    private static void row(final PrintWriter out, final String name, final String value)
    {
        out.printf(ROW, name, value);
    }
}
