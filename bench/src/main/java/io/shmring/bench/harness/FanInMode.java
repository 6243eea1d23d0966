package io.shmring.bench.harness;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --fanin 1,2,4}: N producer processes and one consumer process per run, all on one ring file, one-way, for
 * every {@link FanInPeer#PEERS fan-in peer} and producer count in a seeded shuffled order each round; warm-up rounds
 * discarded; the table gives medians of the measured rounds. Processes are not pinned (more of them than cores).
 *
 * @param settings the producer counts, message size and count (shared among the producers), rounds, seed and stall
 *                 timeout.
 */
record FanInMode(ProcessCountSettings settings)
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
        out.println("shmring-bench fan-in: " + MachineInfo.describe());
        out.printf(Locale.ROOT, "  %d B messages, %,d measured (+%,d warm-up) per run, shared among the producers; " +
            "producers %s; the consumer and each producer a child JVM; not pinned; %d warm-up round(s) discarded, " +
            "%d measured; seed %d%n", settings.size(), settings.count(), settings.warmup(), settings.counts(),
            settings.warmupRounds(), settings.rounds(), settings.seed());
        out.flush();
        final ProcessCountRounds<FanInPeer> schedule = new ProcessCountRounds<>(FanInPeer.PEERS.all(), settings, runRoot);
        final List<FanInResult> measured = schedule.run((peer, plan) -> new FanInRun(peer, plan).run());
        final FanInTable table = new FanInTable(measured, settings.counts());
        return schedule.report(out, "Fan-in one-way throughput", table.text(), table.markdown(), FanInResult.CSV_HEADER,
            measured, rawCsv, markdown, startNs);
    }
}
