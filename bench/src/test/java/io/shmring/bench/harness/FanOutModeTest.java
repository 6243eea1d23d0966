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
 * Runs the real harness's fan-out mode in a child JVM (which starts its consumer JVMs) with 1 and 2 consumers and
 * checks correctness, not speed: every peer runs at every consumer count, and every consumer received every message.
 * The 2,200 messages of 64 B (80 B frames, 176 KB) fit in the 4 MiB rings, so no consumer can be lapped and even the
 * lossy peers must deliver all of them (each child also checks every sequence number: never repeated, never out of
 * order, and for lossless peers none missing, or the run fails). Nothing may be left in the work directory.
 */
class FanOutModeTest
{
    /** Only a hang takes this long (16 child JVMs on a crowded 2-core machine). */
    private static final long HARNESS_TIMEOUT_S = 600;
    private static final int COUNT = 2_000;

    @TempDir
    Path temp;

    @Test
    void shouldDeliverEveryMessageToEveryConsumerOfEveryFanOutPeerAtEachConsumerCount() throws Exception
    {
        final Path raw = temp.resolve("fanout.csv");
        final Path work = Files.createDirectories(temp.resolve("work"));
        final Path stdout = temp.resolve("stdout.txt");
        final List<String> args = List.of("--fanout", "1,2", "--oneway-count", String.valueOf(COUNT), "--rounds", "1",
            "--warmup-rounds", "0", "--work-dir", work.toString(), "--raw-csv", raw.toString());
        final HarnessProcess.Result harness = HarnessProcess.run(List.of(), args, stdout, HARNESS_TIMEOUT_S);
        final String table = harness.stdout();
        assertEquals(0, harness.exitCode(), table);

        final List<String> lines = Files.readAllLines(raw);
        assertEquals(FanOutResult.CSV_HEADER, lines.get(0));
        final Set<String> seen = new HashSet<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] cells = line.split(",");
            assertEquals(8, cells.length, line);
            assertTrue(seen.add(cells[0] + " x" + cells[1]), "one row per peer and consumer count: " + line);
            assertEquals(String.valueOf(COUNT), cells[4], line);
            assertEquals(String.valueOf(COUNT), cells[6], "every consumer received every measured message: " + line);
            assertEquals("0", cells[7], "nobody lapped: " + line);
            assertTrue(Long.parseLong(cells[5]) > 0, line);
        }
        for (final FanOutPeer peer : FanOutPeer.PEERS.all())
        {
            for (final int consumers : List.of(1, 2))
            {
                assertTrue(seen.contains(peer.name() + " x" + consumers), peer.name() + " x" + consumers + " in " + seen);
                assertTrue(table.lines().anyMatch((row) -> row.startsWith(peer.name() + " ") && row.contains("100.00%")), table);
            }
        }
        assertTrue(table.lines().anyMatch((row) -> row.startsWith(AgronaBroadcastFanOut.NAME + " ") && row.contains("1.00x")), table);
        try (Stream<Path> entries = Files.list(work))
        {
            assertFalse(entries.findAny().isPresent(), "files left in " + work);
        }
    }
}
