package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tables' ratio columns from hand-made summaries: each row against shmring SPSC and against the C floor of the
 * same mode and size (p50 for round trips, rate for one-way; above 1 is slower), "-" where that floor was not
 * measured, and no floor columns in a run without the floor.
 */
class ResultTableTest
{
    @Test
    void shouldShowEachRowsRatioToBothCFloors()
    {
        final ResultTable table = new ResultTable(List.of(
            rtt(CPingPong.SPIN, 500), rtt(CPingPong.FUTEX, 10_000), rtt(Peers.BASELINE, 1_000), rtt("shmring-spsc-sleep", 12_000),
            oneway(CPingPong.SPIN, 20e6), oneway(Peers.BASELINE, 5e6)), Set.of(CPingPong.FUTEX, "shmring-spsc-sleep"));
        final String markdown = table.markdown();
        assertTrue(markdown.contains("| transport | size | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | p50 spread µs | vs spsc " +
            "| vs C spin | vs C futex | waits/msg | wakes/msg |"), markdown);
        assertTrue(markdown.contains("| shmring-spsc | 64 B | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 | 1.00–1.00 | 1.00x | 2.00x | 0.10x |"),
            markdown);
        assertTrue(markdown.contains("| shmring-spsc-sleep | 64 B | 12.00 | 12.00 | 12.00 | 12.00 | 12.00 | 12.00–12.00 | 12.00x | " +
            "24.00x | 1.20x | 0.500 | 0.250 |"), markdown);
        assertTrue(markdown.contains("| transport | size | msgs/s | MB/s | msgs/s spread | vs spsc | vs C spin | vs C futex | p50 µs " +
            "| p99 µs | waits/msg | wakes/msg |"), markdown);
        assertTrue(markdown.contains("| shmring-spsc | 64 B | 5.00M | 320 | 5.00M–5.00M | 1.00x | 4.00x | - |"), markdown);
        assertTrue(table.text().contains("vs C spin, vs C futex: the same ratio to the C ping-pong floor"), table.text());
    }

    @Test
    void shouldLeaveOutTheFloorColumnsWhenNoFloorWasMeasured()
    {
        final ResultTable table = new ResultTable(List.of(rtt(Peers.BASELINE, 1_000), oneway(Peers.BASELINE, 5e6)), Set.of());
        assertFalse(table.text().contains("vs C"), table.text());
        assertTrue(table.markdown().contains("| shmring-spsc | 64 B | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 | 1.00–1.00 | 1.00x | - | - |"),
            table.markdown());
    }

    private static Summary rtt(final String transport, final long p50)
    {
        return new Summary(transport, PhaseResult.RTT, 64, 1, 100, p50, p50, p50, p50, p50, 1e9 / p50, p50, p50, 1e9 / p50,
            1e9 / p50, 0.5, 0.25);
    }

    private static Summary oneway(final String transport, final double rate)
    {
        return new Summary(transport, PhaseResult.ONEWAY, 64, 1, 1000, 100, 100, 100, 100, 100, rate, 100, 100, rate, rate, 0, 0);
    }
}
