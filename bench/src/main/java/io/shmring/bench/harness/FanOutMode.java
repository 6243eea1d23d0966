package io.shmring.bench.harness;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --fanout 1,2,4}: one producer (this process) and N consumer processes per run, one-way, for every
 * {@link FanOutPeer#PEERS fan-out peer} and consumer count in a seeded shuffled order each round; warm-up rounds discarded;
 * the table gives medians of the measured rounds. Processes are not pinned (more of them than cores).
 *
 * @param settings the consumer counts, message size and count, rounds, seed and stall timeout.
 */
record FanOutMode(ProcessCountSettings settings)
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
            "%d warm-up round(s) discarded, %d measured; seed %d%n", settings.size(), settings.count(), settings.warmup(),
            settings.counts(), settings.warmupRounds(), settings.rounds(), settings.seed());
        out.flush();
        final ProcessCountRounds<FanOutPeer> schedule = new ProcessCountRounds<>(FanOutPeer.PEERS.all(), settings, runRoot);
        final List<FanOutResult> measured = schedule.run((peer, plan) -> new FanOutRun(peer, plan).run());
        final FanOutTable table = new FanOutTable(measured, settings.counts());
        return schedule.report(out, "Fan-out one-way throughput", table.text(), table.markdown(), FanOutResult.CSV_HEADER,
            measured, rawCsv, markdown, startNs);
    }
}
