package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fan-out table: per consumer count and peer, the median of the rounds' msgs/s with the lowest and highest
 * round, the ratio to {@link AgronaBroadcastFanOut#NAME} at the same consumer count (above 1: slower than Agrona, as
 * in the point-to-point table), the share of measured messages the worst consumer received (median of rounds) and
 * the laps (median of rounds, summed over consumers).
 */
final class FanOutTable
{
    private static final List<String> HEADER = List.of(
        "peer", "consumers", "msgs/s", "msgs/s spread", "vs agrona", "delivered", "laps");

    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param results   every measured run.
     * @param consumers the consumer counts, in table order.
     */
    FanOutTable(final List<FanOutResult> results, final List<Integer> consumers)
    {
        for (final int n : consumers)
        {
            final List<FanOutResult> baseline = RateGroups.group(results, AgronaBroadcastFanOut.NAME, n);
            for (final FanOutPeer peer : FanOutPeer.PEERS.all())
            {
                final List<FanOutResult> group = RateGroups.group(results, peer.name(), n);
                if (group.isEmpty())
                {
                    continue;
                }
                final double median = RateGroups.medianRate(group);
                final double[] delivered = new double[group.size()];
                final double[] laps = new double[group.size()];
                for (int i = 0; i < group.size(); i++)
                {
                    delivered[i] = (double)group.get(i).minDelivered() / group.get(i).count();
                    laps[i] = group.get(i).laps();
                }
                rows.add(List.of(peer.name(), String.valueOf(n), ResultTable.rate(median), RateGroups.rateSpread(group),
                    baseline.isEmpty() ? "-" : ResultTable.ratio(RateGroups.medianRate(baseline) / median),
                    String.format(Locale.ROOT, "%.2f%%", 100 * Summary.median(delivered)),
                    String.format(Locale.ROOT, "%.0f", Summary.median(laps))));
            }
        }
    }

    /**
     * @return the table as aligned text, with its legend.
     */
    String text()
    {
        return ResultTable.aligned(HEADER, rows) +
            "\nmsgs/s: messages the producer sent over the time from its first measured send to the last consumer's " +
            "receipt of the end message.\nvs agrona: " + AgronaBroadcastFanOut.NAME + " msgs/s over the row's at the same " +
            "consumer count; above 1 is slower. delivered: measured messages the worst consumer received (lossless: 100% " +
            "or the run fails). laps: summed over consumers.\n";
    }

    /**
     * @return the table in Markdown.
     */
    String markdown()
    {
        return ResultTable.markdown(HEADER, rows);
    }
}
