package io.shmring.examples.cli;

import io.shmring.core.NotFoundException;
import io.shmring.examples.stat.RingJson;
import io.shmring.examples.stat.RingReport;
import io.shmring.examples.stat.RingSnapshot;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.liveness.PartyStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shmring list [DIR...]}: every ring file in the directories (default /dev/shm), one line each, read-only. A ring
 * is recognised by its header's magic; other files are ignored, except a file this process may not read that is long
 * enough to be a ring (it may be one). A ring whose positions or pending frames break the layout's rules says so at the
 * end of its line. Exit 1 if a ring (or such a file) could not be read, or a ring is corrupt (each is named on stderr),
 * else 0.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the ring files in directories (default /dev/shm): kind, capacity, fill, parties, staleness.")
public final class ListCommand implements Callable<Integer>
{
    /** KIND is 12 wide: "BROADCAST v3", the longest kind and layout version. */
    private static final String ROW = "%-32s %-12s %9s %6s  %-22s %-24s %s%n";

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories to scan (default /dev/shm).")
    private List<Path> directories = List.of();

    @Option(names = "--json", description = "One JSON object per ring, one a line (the fields of stat --json).")
    private boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        boolean failed = false;
        try (RingJson jsonOut = json ? new RingJson(out) : null)
        {
            if (!json)
            {
                out.printf(ROW, "RING", "KIND", "CAPACITY", "FILL", "CONSUMER", "PRODUCERS", "LAST SEEN");
            }
            for (final Path path : RingTargets.scan(directories))
            {
                final RingSnapshot snapshot;
                try (RingFile ring = RingFile.openReadOnly(path))
                {
                    snapshot = RingSnapshot.of(ring);
                }
                catch (final RuntimeException ex)
                {
                    if (ex instanceof NotFoundException && !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                    {
                        continue; // deleted between the scan and the open (a ring's life ended): nothing to list, no error
                    }
                    unreadable(path, ex, jsonOut, out);
                    failed = true;
                    continue;
                }
                if (jsonOut != null)
                {
                    jsonOut.write(snapshot, null);
                }
                else
                {
                    out.printf(ROW, path, snapshot.kind() + " v" + snapshot.layoutVersion(), size(snapshot.capacity()), String.format("%.1f%%", 100 * snapshot.fill()),
                        consumers(snapshot), producers(snapshot), lastSeen(snapshot) + corruption(snapshot.pending().corruption()));
                }
                if (snapshot.pending().corruption() != null)
                {
                    out.flush(); // the line before the error that explains it
                    ErrorReporter.reportAndContinue(spec, null, snapshot.pending().corruption());
                    failed = true;
                }
            }
        }
        out.flush();
        return failed ? 1 : 0;
    }

    /**
     * A file that could be a ring but could not be read as one: a row too, so that a monitor reading the list (or its
     * JSON) sees the file; stderr names it as well.
     */
    private void unreadable(final Path path, final RuntimeException ex, final RingJson jsonOut, final PrintWriter out)
    {
        if (jsonOut != null)
        {
            jsonOut.writeUnreadable(path, ex);
        }
        else
        {
            out.printf(ROW, path, "?", "-", "-", "-", "-", "UNREADABLE: " + ex.getMessage());
        }
        out.flush(); // the line before the error that explains it
        ErrorReporter.reportAndContinue(spec, null, ex);
    }

    /** SPSC/MPSC: the consumer; broadcast: how many consumer slots are held live and dead. */
    private static String consumers(final RingSnapshot snapshot)
    {
        if (snapshot.broadcast() == null)
        {
            return consumer(snapshot.consumer());
        }
        final List<PartyStatus> parties = new ArrayList<>();
        for (final BroadcastSlotStatus slot : snapshot.broadcast().slots())
        {
            parties.add(slot.party());
        }
        return RingReport.liveAndDead(parties);
    }

    private static String consumer(final PartyStatus status)
    {
        return status.liveness() == PartyStatus.Liveness.FREE ? "none" :
            status.pid() + " " + status.liveness().name().toLowerCase() + (status.sameNamespace() ? "" : " (other ns)");
    }

    private static String producers(final RingSnapshot snapshot)
    {
        final List<PartyStatus> parties = new ArrayList<>();
        for (final RingSnapshot.Producer producer : snapshot.producers())
        {
            parties.add(producer.status());
        }
        return RingReport.liveAndDead(parties);
    }

    private static String lastSeen(final RingSnapshot snapshot)
    {
        final long ageMs = snapshot.lastHeartbeatAgeMs();
        final long aheadMs = snapshot.heartbeatAheadMs();
        final String seen = aheadMs > 0 ? String.format("%,.1f s ahead of this clock", aheadMs / 1000.0) :
            ageMs < 0 ? "never" : String.format("%,.1f s ago", ageMs / 1000.0);
        return snapshot.isStale() ? seen + ", stale" : seen;
    }

    /**
     * @param corruption the first broken rule {@code stat} would report, or null.
     * @return what the line's end says about it: nothing, or the field, its value and where.
     */
    private static String corruption(final CorruptRingException corruption)
    {
        if (corruption == null)
        {
            return "";
        }
        return ", CORRUPT: " + corruption.field() + "=" + corruption.value() +
            (corruption.position() >= 0 ? String.format(" at position %,d", corruption.position()) : "") + " (see stat)";
    }

    private static String size(final long bytes)
    {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0)
        {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0)
        {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
