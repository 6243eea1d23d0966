package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one peer at one process count, as the tables of {@code --fanout} and {@code --fanin} show them: the
 * median rate of the rounds and its spread (lowest and highest round).
 */
final class RateGroups
{
    private RateGroups()
    {
    }

    /**
     * @param results   measured runs.
     * @param peer      a peer's name.
     * @param processes a process count.
     * @param <R>       the result type.
     * @return the runs of that peer at that count, in the order run.
     */
    static <R extends ProcessCountResult> List<R> group(final List<R> results, final String peer, final int processes)
    {
        final List<R> group = new ArrayList<>();
        for (final R result : results)
        {
            if (result.peer().equals(peer) && result.processes() == processes)
            {
                group.add(result);
            }
        }
        return group;
    }

    /**
     * @param group runs of one peer at one process count, at least one.
     * @return the median rate.
     */
    static double medianRate(final List<? extends ProcessCountResult> group)
    {
        return Summary.median(group.stream().mapToDouble(ProcessCountResult::msgsPerSecond).toArray());
    }

    /**
     * @param group runs of one peer at one process count, at least one.
     * @return the lowest and highest rate, e.g. {@code 1.20 M–1.35 M}.
     */
    static String rateSpread(final List<? extends ProcessCountResult> group)
    {
        final double[] rates = group.stream().mapToDouble(ProcessCountResult::msgsPerSecond).sorted().toArray();
        return ResultTable.rate(rates[0]) + "–" + ResultTable.rate(rates[rates.length - 1]);
    }
}
