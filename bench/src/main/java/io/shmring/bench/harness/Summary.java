package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One transport, mode and size over all measured rounds: every figure is the median of the rounds'
 * figures, with the spread (lowest and highest round) of the headline one, p50 or msgs/s.
 *
 * @param transport   CSV name.
 * @param mode        {@link PhaseResult#RTT} or {@link PhaseResult#ONEWAY}.
 * @param size        payload bytes.
 * @param rounds      rounds measured.
 * @param count       round trips or messages measured per round (median).
 * @param p50         median of the rounds' p50, ns.
 * @param p90         median of the rounds' p90, ns.
 * @param p99         median of the rounds' p99, ns.
 * @param p999        median of the rounds' p99.9, ns.
 * @param max         median of the rounds' max, ns.
 * @param msgsPerSec  median of the rounds' rates.
 * @param p50Low      lowest round p50, ns.
 * @param p50High     highest round p50, ns.
 * @param rateLow     lowest round rate.
 * @param rateHigh    highest round rate.
 * @param waitsPerMsg median native sleeps per message.
 * @param wakesPerMsg median native wakes per message.
 */
public record Summary(
    String transport, String mode, int size, int rounds, long count,
    long p50, long p90, long p99, long p999, long max, double msgsPerSec,
    long p50Low, long p50High, double rateLow, double rateHigh, double waitsPerMsg, double wakesPerMsg)
{
    /**
     * @param results every measured phase (no warm-up round).
     * @return one summary per transport, mode and size, in the order first seen.
     */
    public static List<Summary> of(final List<PhaseResult> results)
    {
        final Map<String, List<PhaseResult>> groups = new LinkedHashMap<>();
        for (final PhaseResult result : results)
        {
            groups.computeIfAbsent(result.transport() + "|" + result.mode() + "|" + result.size(), (key) -> new ArrayList<>())
                .add(result);
        }
        final List<Summary> summaries = new ArrayList<>();
        for (final List<PhaseResult> group : groups.values())
        {
            final PhaseResult first = group.get(0);
            final long[] p50s = longs(group, PhaseResult::p50);
            final double[] rates = doubles(group, PhaseResult::msgsPerSec);
            summaries.add(new Summary(first.transport(), first.mode(), first.size(), group.size(),
                median(longs(group, PhaseResult::count)), median(p50s), median(longs(group, PhaseResult::p90)),
                median(longs(group, PhaseResult::p99)), median(longs(group, PhaseResult::p999)),
                median(longs(group, PhaseResult::max)), median(rates),
                Arrays.stream(p50s).min().orElse(0), Arrays.stream(p50s).max().orElse(0),
                Arrays.stream(rates).min().orElse(0), Arrays.stream(rates).max().orElse(0),
                median(doubles(group, PhaseResult::waitsPerMsg)), median(doubles(group, PhaseResult::wakesPerMsg))));
        }
        return summaries;
    }

    /**
     * @param summaries  summaries in any order.
     * @param transports the transports in table order.
     * @return the summaries by transport (table order), round trips before one-way, then size.
     */
    public static List<Summary> inTableOrder(final List<Summary> summaries, final List<? extends MeasuredPeer> transports)
    {
        final List<String> names = new ArrayList<>();
        for (final MeasuredPeer transport : transports)
        {
            names.add(transport.name());
        }
        final List<Summary> sorted = new ArrayList<>(summaries);
        sorted.sort(Comparator.comparingInt((Summary s) -> names.indexOf(s.transport()))
            .thenComparing((Summary s) -> PhaseResult.RTT.equals(s.mode()) ? 0 : 1)
            .thenComparingInt(Summary::size));
        return sorted;
    }

    /**
     * @param values round figures.
     * @return the median; the mean of the middle two for an even count.
     */
    static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * @param values round figures.
     * @return the median; the mean of the middle two for an even count.
     */
    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static long[] longs(final List<PhaseResult> group, final ToLongFunction<PhaseResult> field)
    {
        return group.stream().mapToLong(field).toArray();
    }

    private static double[] doubles(final List<PhaseResult> group, final ToDoubleFunction<PhaseResult> field)
    {
        return group.stream().mapToDouble(field).toArray();
    }
}
