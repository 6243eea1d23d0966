package io.shmring.examples.cli;

import io.shmring.examples.stat.RingJson;
import io.shmring.examples.stat.RingRates;
import io.shmring.examples.stat.RingReport;
import io.shmring.examples.stat.RingSnapshot;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring stat <ring>...}: header and live state of rings other processes are using, read-only (read permission
 * on the file is enough, whoever owns it: {@link RingFile#openReadOnly}; nothing is ever written). Each ring is validated before anything past its header is read; one
 * that is not a ring, or cannot be read, is one line on stderr and the others are still shown. A ring whose positions
 * or pending frames break the layout's rules is printed as far as it is valid, then reported as corrupt on stderr.
 * Exit 1 if any ring could not be shown whole.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the header and live state of ring files (reads only; never attaches).")
public final class StatCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "<ring>",
        description = "Ring file paths, shm: URIs, or globs on the file name (quote them), e.g. '/dev/shm/md-*'.")
    private List<String> targets;

    @Option(names = "--json", description = "One JSON object per ring and refresh, one a line (fields: see README).")
    private boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "1", paramLabel = "SECONDS", preprocessor = WatchSeconds.class,
        description = "Refresh every SECONDS (default 1) with rates (messages/s and bytes/s published and consumed, " +
            "wakes/s) until " +
            "interrupted.")
    private Double watchSeconds;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N refreshes (without --watch it " +
        "is refused).")
    private Long count;

    private boolean multiple;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (count != null && watchSeconds == null)
        {
            throw new ParameterException(spec.commandLine(), "--count counts --watch refreshes: give --watch too " +
                "(without it stat prints once)");
        }
        if (watchSeconds != null && !(watchSeconds > 0))
        {
            throw new ParameterException(spec.commandLine(), "--watch needs a positive number of seconds: " + watchSeconds);
        }
        if (count != null && count < 1)
        {
            throw new ParameterException(spec.commandLine(), "--count needs at least 1 refresh: " + count);
        }
        final List<Path> paths = RingTargets.expand(targets);
        multiple = paths.size() > 1;
        final long rounds = watchSeconds == null ? 1 : count == null ? Long.MAX_VALUE : count;
        final Map<Path, RingSnapshot> previous = new HashMap<>();
        boolean failed = false;
        try (RingJson jsonOut = json ? new RingJson(out) : null)
        {
            for (long round = 0; round < rounds; round++)
            {
                if (round > 0)
                {
                    TimeUnit.MILLISECONDS.sleep(Math.round(watchSeconds * 1000));
                }
                if (watchSeconds != null && !json)
                {
                    out.println("--- " + Instant.now());
                }
                for (final Path path : paths)
                {
                    failed |= !show(path, previous, jsonOut, out);
                }
                out.flush();
            }
        }
        return failed ? 1 : 0;
    }

    private boolean show(final Path path, final Map<Path, RingSnapshot> previous, final RingJson jsonOut, final PrintWriter out)
    {
        final RingSnapshot snapshot;
        try (RingFile ring = RingFile.openReadOnly(path))
        {
            snapshot = RingSnapshot.of(ring);
        }
        catch (final RuntimeException ex)
        {
            ErrorReporter.reportAndContinue(spec, null, ex);
            previous.remove(path);
            return false;
        }
        final RingSnapshot before = previous.put(path, snapshot);
        final RingRates rates = before == null ? null : RingRates.between(before, snapshot);
        if (jsonOut != null)
        {
            jsonOut.write(snapshot, rates);
        }
        else
        {
            RingReport.print(snapshot, out);
            if (rates != null)
            {
                out.printf("%-18s %,.0f msg/s published, %,.0f msg/s consumed, %,.0f B/s published, %,.0f B/s consumed, " +
                    "%,.1f wakes/s (over %,d ms)%n", "rates", rates.publishedMessagesPerSecond(), rates.consumedMessagesPerSecond(),
                    rates.publishedBytesPerSecond(), rates.consumedBytesPerSecond(), rates.wakesPerSecond(), rates.intervalMs());
            }
            if (multiple)
            {
                out.println();
            }
            out.flush();
        }
        final CorruptRingException corruption = snapshot.pending().corruption();
        if (corruption != null)
        {
            ErrorReporter.reportAndContinue(spec, null, corruption);
            return false;
        }
        return true;
    }
}
