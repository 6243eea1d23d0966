package io.shmring.bench.harness;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code --fanout 1,2,4}: one producer (this process) and N consumer processes per run, one-way, for every
 * {@link FanOutPeers fan-out peer} and consumer count in a seeded shuffled order each round; warm-up rounds discarded;
 * the table gives medians of the measured rounds. Processes are not pinned (more of them than cores).
 *
 * @param consumers    consumer counts.
 * @param size         payload bytes per message.
 * @param count        measured messages per run; a tenth more go first as warm-up.
 * @param rounds       measured rounds.
 * @param warmupRounds rounds run first and discarded.
 * @param seed         seed of the shuffle.
 * @param stallNanos   how long a channel may move nothing.
 */
record FanOutMode(List<Integer> consumers, int size, long count, int rounds, int warmupRounds, long seed, long stallNanos)
{
    /**
     * @param out      where the table goes.
     * @param runRoot  a directory for the runs' files.
     * @param rawCsv   every run's figures.
     * @param markdown the table in Markdown, or null.
     * @return 0 if every run passed, 1 if any failed (its row is left out; the failure is printed).
     * @throws Exception if a file cannot be written.
     */
    int run(final PrintWriter out, final Path runRoot, final Path rawCsv, final Path markdown) throws Exception
    {
        final long startNs = System.nanoTime();
        out.println("shmring-bench fan-out: " + MachineInfo.describe());
        out.printf(Locale.ROOT, "  %d B messages, %,d measured (+%,d warm-up) per run; consumers %s; not pinned; " +
            "%d warm-up round(s) discarded, %d measured; seed %d%n", size, count, count / 10, consumers, warmupRounds, rounds, seed);
        out.flush();
        final List<FanOutResult> measured = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final Random random = new Random(seed);
        for (int index = 0; index < warmupRounds + rounds; index++)
        {
            final boolean warm = index < warmupRounds;
            final int round = warm ? 0 : index - warmupRounds + 1;
            final List<Object[]> order = new ArrayList<>();
            for (final int n : consumers)
            {
                for (final FanOutPeer peer : FanOutPeers.all())
                {
                    order.add(new Object[] { peer, n });
                }
            }
            Collections.shuffle(order, random);
            for (final Object[] each : order)
            {
                final FanOutPeer peer = (FanOutPeer)each[0];
                final int n = (Integer)each[1];
                final String key = peer.name() + " x" + n;
                if (failed.contains(key))
                {
                    continue;
                }
                final String label = (warm ? "warm-up " + (index + 1) : "round " + round) + " " + key;
                try
                {
                    final FanOutResult result = new FanOutRun(peer, n, size, count / 10, count, round,
                        runRoot.resolve(peer.name() + "-" + n + "-" + index), stallNanos).run();
                    System.err.printf(Locale.ROOT, "%s: %s msgs/s, worst consumer %,d of %,d, laps %,d%n", label,
                        ResultTable.rate(result.msgsPerSecond()), result.minDelivered(), result.count(), result.laps());
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
        final FanOutTable table = new FanOutTable(measured, consumers);
        out.println();
        out.println("Fan-out one-way throughput (" + size + " B; median of " + rounds + " rounds; load average at the end: " +
            MachineInfo.loadAverage() + ")");
        out.print(table.text());
        final List<String> lines = new ArrayList<>();
        lines.add(FanOutResult.CSV_HEADER);
        measured.forEach((result) -> lines.add(result.csv()));
        Files.write(rawCsv, lines);
        if (markdown != null)
        {
            Files.writeString(markdown, table.markdown());
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
}
