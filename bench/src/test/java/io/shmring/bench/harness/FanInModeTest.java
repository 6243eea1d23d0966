package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the real harness's fan-in mode in a child JVM (which starts the producer and consumer JVMs) with 1 and 2
 * producers and checks correctness, not speed: every peer runs at every producer count, and the consumer received
 * every message each producer sent (the consumer also checks each producer's sequence as it reads: a message missing,
 * repeated or out of order fails the run, and so the harness's exit code). 2,001 measured messages do not divide
 * evenly between 2 producers, so the shares differ. Nothing may be left in the work directory.
 */
class FanInModeTest
{
    /** Only a hang takes this long (12 child JVMs on a crowded 2-core machine). */
    private static final long HARNESS_TIMEOUT_S = 600;
    private static final int COUNT = 2_001;
    private static final int SENT = COUNT + COUNT / 10;

    @TempDir
    Path temp;

    @Test
    void shouldDeliverEveryMessageOfEveryProducerOfEveryFanInPeerAtEachProducerCount() throws Exception
    {
        final Path raw = temp.resolve("fanin.csv");
        final Path markdown = temp.resolve("fanin.md");
        final Path work = Files.createDirectories(temp.resolve("work"));
        final Path stdout = temp.resolve("stdout.txt");
        final List<String> args = List.of("--fanin", "1,2", "--oneway-count", String.valueOf(COUNT), "--rounds", "1",
            "--warmup-rounds", "0", "--work-dir", work.toString(), "--raw-csv", raw.toString(), "--markdown", markdown.toString());
        final HarnessProcess.Result harness = HarnessProcess.run(List.of(), args, stdout, HARNESS_TIMEOUT_S);
        final String table = harness.stdout();
        System.out.println(table);
        assertEquals(0, harness.exitCode(), table);

        final List<String> lines = Files.readAllLines(raw);
        assertEquals(FanInResult.CSV_HEADER, lines.get(0));
        final Set<String> seen = new HashSet<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] cells = line.split(",");
            assertEquals(8, cells.length, line);
            assertTrue(seen.add(cells[0] + " x" + cells[1]), "one row per peer and producer count: " + line);
            assertEquals(String.valueOf(COUNT), cells[4], line);
            assertEquals(String.valueOf(SENT), cells[6], "the producers sent every message: " + line);
            assertEquals(String.valueOf(SENT), cells[7], "the consumer received every message: " + line);
            assertTrue(Long.parseLong(cells[5]) > 0, line);
        }
        for (final FanInPeer peer : FanInPeer.PEERS.all())
        {
            for (final int producers : List.of(1, 2))
            {
                assertTrue(seen.contains(peer.name() + " x" + producers), peer.name() + " x" + producers + " in " + seen);
            }
        }
        assertEquals(1 + 2 * FanInPeer.PEERS.all().size(), lines.size(), String.join("\n", lines));
        assertTrue(table.lines().anyMatch((row) -> row.startsWith(AgronaManyToOneFanIn.NAME + " ") && row.endsWith("1.00x")), table);
        assertTrue(Files.readString(markdown).contains("| " + ShmMpscFanIn.NAME + " | 2 |"), Files.readString(markdown));
        try (Stream<Path> entries = Files.list(work))
        {
            assertFalse(entries.findAny().isPresent(), "files left in " + work);
        }
    }
}
