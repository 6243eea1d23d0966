package io.shmring.bench.harness;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The rounds of a mode that measures every peer at several process counts ({@code --fanout}, {@code --fanin}):
 * warm-up rounds (discarded), then measured rounds, each running every (peer, process count) pair once in an order
 * shuffled by a seeded random; a pair that fails is reported and skipped in later rounds. Then the report: the table,
 * every measured run in the raw CSV, the table in Markdown if asked for, and the failures.
 *
 * @param <P> the mode's peer type.
 */
final class ProcessCountRounds<P extends NamedPeer>
{
    /**
     * One run of the mode.
     *
     * @param <P> the mode's peer type.
     * @param <R> its result type.
     */
    @FunctionalInterface
    interface Run<P, R>
    {
        /**
         * @param peer the peer.
         * @param plan the process count, counts, round and directory of the run.
         * @return the run's figures.
         * @throws Exception if the run fails.
         */
        R run(P peer, RunPlan plan) throws Exception;
    }

    private final List<P> peers;
    private final ProcessCountSettings settings;
    private final Path runRoot;
    private final List<String> failures = new ArrayList<>();

    /**
     * @param peers    every peer, in table order.
     * @param settings the mode's options.
     * @param runRoot  where each run's directory goes.
     */
    ProcessCountRounds(final List<P> peers, final ProcessCountSettings settings, final Path runRoot)
    {
        this.peers = peers;
        this.settings = settings;
        this.runRoot = runRoot;
    }

    /**
     * Run every round, printing a line per run on stderr.
     *
     * @param run one run.
     * @param <R> the result type.
     * @return the results of the measured rounds (a failed run has none; its failure is kept for {@link #report}).
     */
    <R extends ProcessCountResult> List<R> run(final Run<P, R> run)
    {
        final List<R> measured = new ArrayList<>();
        final Set<String> failed = new HashSet<>();
        final Random random = new Random(settings.seed());
        final int warmupRounds = settings.warmupRounds();
        for (int index = 0; index < warmupRounds + settings.rounds(); index++)
        {
            final boolean warm = index < warmupRounds;
            final int round = warm ? 0 : index - warmupRounds + 1;
            final List<Pair<P>> order = new ArrayList<>();
            for (final int processes : settings.counts())
            {
                for (final P peer : peers)
                {
                    order.add(new Pair<>(peer, processes));
                }
            }
            Collections.shuffle(order, random);
            for (final Pair<P> pair : order)
            {
                final String key = pair.peer().name() + " x" + pair.processes();
                if (failed.contains(key))
                {
                    continue;
                }
                final String label = (warm ? "warm-up " + (index + 1) : "round " + round) + " " + key;
                try
                {
                    final RunPlan plan = new RunPlan(pair.processes(), settings.size(), settings.warmup(), settings.count(), round,
                        runRoot.resolve(key.replace(' ', '-') + "-" + index), settings.stallNanos());
                    final R result = run.run(pair.peer(), plan);
                    System.err.println(label + ": " + result.progress());
                    if (!warm)
                    {
                        measured.add(result);
                    }
                }
                catch (final Exception ex)
                {
                    failed.add(key);
                    failures.add(label + ": " + ex);
                    System.err.println(label + ": FAILED: " + ex);
                }
            }
        }
        return measured;
    }

    /**
     * Print the table and the failures; write the raw CSV and the Markdown table.
     *
     * @param out       where the table goes.
     * @param title     the table's title, e.g. {@code Fan-out one-way throughput}.
     * @param table     the table as aligned text, with its legend.
     * @param tableMd   the table in Markdown.
     * @param csvHeader the raw CSV's header.
     * @param measured  every measured run, in the order run.
     * @param rawCsv    where every run's figures go.
     * @param markdown  where the Markdown table goes, or null.
     * @param startNs   {@link System#nanoTime()} when the mode started.
     * @return 0 if every run passed, 1 if any failed.
     * @throws IOException if a file cannot be written.
     */
    int report(final PrintWriter out, final String title, final String table, final String tableMd, final String csvHeader,
        final List<? extends ProcessCountResult> measured, final Path rawCsv, final Path markdown, final long startNs)
        throws IOException
    {
        out.println();
        out.println(title + " (" + settings.size() + " B; median of " + settings.rounds() + " rounds; load average at the end: " +
            MachineInfo.loadAverage() + ")");
        out.print(table);
        final List<String> lines = new ArrayList<>();
        lines.add(csvHeader);
        measured.forEach((result) -> lines.add(result.csv()));
        Files.write(rawCsv, lines);
        if (markdown != null)
        {
            Files.writeString(markdown, tableMd);
        }
        out.printf(Locale.ROOT, "%nwrote %s%s; took %.0f s%n", rawCsv, markdown != null ? ", " + markdown : "",
            (System.nanoTime() - startNs) / 1e9);
        for (final String failure : failures)
        {
            out.println("FAILED: " + failure);
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    private record Pair<P>(P peer, int processes)
    {
    }
}
