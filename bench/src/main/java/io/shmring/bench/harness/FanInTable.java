package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The fan-in table: per producer count and peer, the median of the rounds' msgs/s with the lowest and highest round,
 * and the ratio of the row's median to {@link AgronaManyToOneFanIn#NAME}'s at the same producer count (above 1: faster
 * than Agrona; the {@link ShmMpscFanIn#NAME} row is shmring / Agrona).
 */
final class FanInTable
{
    private static final List<String> HEADER = List.of("peer", "producers", "msgs/s", "msgs/s spread", "rate / agrona");

    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param results   every measured run.
     * @param producers the producer counts, in table order.
     */
    FanInTable(final List<FanInResult> results, final List<Integer> producers)
    {
        for (final int n : producers)
        {
            final List<FanInResult> baseline = RateGroups.group(results, AgronaManyToOneFanIn.NAME, n);
            for (final FanInPeer peer : FanInPeer.PEERS.all())
            {
                final List<FanInResult> group = RateGroups.group(results, peer.name(), n);
                if (group.isEmpty())
                {
                    continue;
                }
                final double median = RateGroups.medianRate(group);
                rows.add(List.of(peer.name(), String.valueOf(n), ResultTable.rate(median), RateGroups.rateSpread(group),
                    baseline.isEmpty() ? "-" : ResultTable.ratio(median / RateGroups.medianRate(baseline))));
            }
        }
    }

    /**
     * @return the table as aligned text, with its legend.
     */
    String text()
    {
        return ResultTable.aligned(HEADER, rows) +
            "\nmsgs/s: measured messages (all producers) over the time from the first producer's first measured send to " +
            "the consumer's receipt of the last producer's end message.\nrate / agrona: the row's msgs/s over " +
            AgronaManyToOneFanIn.NAME + "'s at the same producer count; above 1 is faster (" + ShmMpscFanIn.NAME +
            ": shmring / Agrona). Every message was checked: per producer, none missing, repeated or out of order.\n";
    }

    /**
     * @return the table in Markdown.
     */
    String markdown()
    {
        return ResultTable.markdown(HEADER, rows);
    }
}
