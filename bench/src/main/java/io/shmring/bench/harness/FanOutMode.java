package io.shmring.bench.harness;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
        final ProcessCountRounds<FanOutPeer> schedule = new ProcessCountRounds<>(FanOutPeers.all(), consumers, rounds,
            warmupRounds, seed);
        final List<FanOutResult> measured = schedule.run((peer, n, round, index) -> new FanOutRun(peer, n, size, count / 10,
            count, round, runRoot.resolve(peer.name() + "-" + n + "-" + index), stallNanos).run());
        final FanOutTable table = new FanOutTable(measured, consumers);
        return schedule.report(out, "Fan-out one-way throughput", size, table.text(), table.markdown(), FanOutResult.CSV_HEADER,
            measured, rawCsv, markdown, startNs);
    }
}
