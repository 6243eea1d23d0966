package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest
{
    @Test
    void shouldTakeMedianOfRoundsAndTheirSpread()
    {
        final List<Summary> summaries = Summary.of(List.of(
            result(1, 300, 3e6), result(2, 100, 1e6), result(3, 200, 2e6), other(1)));
        assertEquals(2, summaries.size());
        final Summary summary = summaries.get(0);
        assertEquals(3, summary.rounds());
        assertEquals(200, summary.p50());
        assertEquals(2e6, summary.msgsPerSec());
        assertEquals(100, summary.p50Low());
        assertEquals(300, summary.p50High());
        assertEquals(1e6, summary.rateLow());
        assertEquals(3e6, summary.rateHigh());
    }

    @Test
    void shouldAverageTheMiddleTwoOfAnEvenCount()
    {
        assertEquals(150, Summary.median(new long[] { 300, 100, 200, 0 }));
        assertEquals(2.5, Summary.median(new double[] { 4, 1, 2, 3 }));
    }

    @Test
    void shouldOrderByTransportTableThenModeThenSize()
    {
        final List<Summary> sorted = Summary.inTableOrder(Summary.of(List.of(other(1), result(1, 1, 1))),
            Peers.select(List.of("agrona-one-to-one", "shmring-spsc")));
        assertEquals("shmring-spsc", sorted.get(0).transport());
        assertEquals("agrona-one-to-one", sorted.get(1).transport());
    }

    @Test
    void shouldRejectUnknownTransportNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Peers.byName("zeromq"));
        assertTrue(ex.getMessage().contains("transport=zeromq"), ex.getMessage());
    }

    private static PhaseResult result(final int round, final long p50, final double rate)
    {
        return new PhaseResult("shmring-spsc", PhaseResult.RTT, 64, round, 100, p50, p50 + 1, p50 + 2, p50 + 3, p50 + 4, rate, 0, 0);
    }

    private static PhaseResult other(final int round)
    {
        return new PhaseResult("agrona-one-to-one", PhaseResult.RTT, 64, round, 100, 1, 2, 3, 4, 5, 1, 0, 0);
    }
}
