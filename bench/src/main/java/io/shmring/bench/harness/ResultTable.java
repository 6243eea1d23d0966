package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The human-readable tables: round-trip latency, then one-way throughput, each row with its ratio to
 * {@link Peers#BASELINE} at the same size and mode (above 1: slower than shmring SPSC), to the C floor
 * ({@link CPingPong#SPIN} and {@link CPingPong#FUTEX}) when it was measured, and, for blocking modes, native
 * sleep and wake calls per message. As aligned text for stdout or as Markdown.
 */
final class ResultTable
{
    private static final List<String> RTT_HEAD = List.of(
        "transport", "size", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "p50 spread µs", "vs spsc");
    private static final List<String> ONEWAY_HEAD = List.of(
        "transport", "size", "msgs/s", "MB/s", "msgs/s spread", "vs spsc");
    private static final List<String> FLOOR_COLUMNS = List.of("vs C spin", "vs C futex");
    private static final List<String> ONEWAY_LATENCY = List.of("p50 µs", "p99 µs");
    private static final List<String> WAKE_COLUMNS = List.of("waits/msg", "wakes/msg");

    private final List<Summary> summaries;
    private final Set<String> blocking;
    private final Map<String, Summary> baseline = new HashMap<>();
    private final Map<String, Summary> spinFloor = new HashMap<>();
    private final Map<String, Summary> futexFloor = new HashMap<>();
    private final boolean floor;

    /**
     * @param summaries the results.
     * @param blocking  names of transports whose wait and wake counts mean something.
     */
    ResultTable(final List<Summary> summaries, final Set<String> blocking)
    {
        this.summaries = summaries;
        this.blocking = blocking;
        for (final Summary summary : summaries)
        {
            final String key = summary.mode() + "|" + summary.size();
            switch (summary.transport())
            {
                case Peers.BASELINE -> baseline.put(key, summary);
                case CPingPong.SPIN -> spinFloor.put(key, summary);
                case CPingPong.FUTEX -> futexFloor.put(key, summary);
                default ->
                {
                }
            }
        }
        this.floor = !spinFloor.isEmpty() || !futexFloor.isEmpty();
    }

    /**
     * @return both tables as aligned text.
     */
    String text()
    {
        return "Round-trip latency (ping-pong through the echoing child; median of rounds)\n" +
            aligned(header(PhaseResult.RTT), rows(PhaseResult.RTT)) +
            "\nOne-way throughput (child streams, parent receives; latency: send to receive of 1 in 64, queueing included)\n" +
            aligned(header(PhaseResult.ONEWAY), rows(PhaseResult.ONEWAY)) +
            "\nvs spsc: p50 (rtt) or msgs/s (one-way) relative to " + Peers.BASELINE +
            " at the same size; above 1 is slower. Spread: lowest and highest round.\n" +
            (floor ? "vs C spin, vs C futex: the same ratio to the C ping-pong floor measured in this run (" + CPingPong.SPIN +
                ": spinning, " + CPingPong.FUTEX + ": sleeping on every message).\n" : "");
    }

    /**
     * @return both tables in Markdown.
     */
    String markdown()
    {
        return "**Round-trip latency** (median of rounds)\n\n" + markdown(header(PhaseResult.RTT), rows(PhaseResult.RTT)) +
            "\n**One-way throughput** (median of rounds; latency of 1 in 64 messages, queueing included)\n\n" +
            markdown(header(PhaseResult.ONEWAY), rows(PhaseResult.ONEWAY));
    }

    /**
     * @return the columns of a mode's table; the C floor's only if it was measured.
     */
    private List<String> header(final String mode)
    {
        final List<String> header = new ArrayList<>(PhaseResult.RTT.equals(mode) ? RTT_HEAD : ONEWAY_HEAD);
        if (floor)
        {
            header.addAll(FLOOR_COLUMNS);
        }
        if (PhaseResult.ONEWAY.equals(mode))
        {
            header.addAll(ONEWAY_LATENCY);
        }
        header.addAll(WAKE_COLUMNS);
        return header;
    }

    private List<List<String>> rows(final String mode)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final Summary s : summaries)
        {
            if (!mode.equals(s.mode()))
            {
                continue;
            }
            final String key = s.mode() + "|" + s.size();
            final List<String> row = new ArrayList<>();
            row.add(s.transport());
            row.add(s.size() + " B");
            if (PhaseResult.RTT.equals(mode))
            {
                row.addAll(List.of(micros(s.p50()), micros(s.p90()), micros(s.p99()), micros(s.p999()), micros(s.max()),
                    micros(s.p50Low()) + "–" + micros(s.p50High())));
            }
            else
            {
                row.addAll(List.of(rate(s.msgsPerSec()), String.format(Locale.ROOT, "%.0f", s.msgsPerSec() * s.size() / 1e6),
                    rate(s.rateLow()) + "–" + rate(s.rateHigh())));
            }
            row.add(versus(s, baseline.get(key)));
            if (floor)
            {
                row.add(versus(s, spinFloor.get(key)));
                row.add(versus(s, futexFloor.get(key)));
            }
            if (PhaseResult.ONEWAY.equals(mode))
            {
                row.addAll(List.of(micros(s.p50()), micros(s.p99())));
            }
            final boolean counted = blocking.contains(s.transport());
            row.add(counted ? perMessage(s.waitsPerMsg()) : "-");
            row.add(counted ? perMessage(s.wakesPerMsg()) : "-");
            rows.add(row);
        }
        return rows;
    }

    /**
     * @return p50 (rtt) or msgs/s (one-way) of {@code s} relative to {@code base}, above 1 slower; "-" without a base.
     */
    private static String versus(final Summary s, final Summary base)
    {
        if (base == null)
        {
            return "-";
        }
        final boolean rtt = PhaseResult.RTT.equals(s.mode());
        final double numerator = rtt ? s.p50() : base.msgsPerSec();
        final double denominator = rtt ? base.p50() : s.msgsPerSec();
        return denominator > 0 ? ratio(numerator / denominator) : "-";
    }

    static String aligned(final List<String> header, final List<List<String>> rows)
    {
        final int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++)
        {
            widths[i] = header.get(i).length();
            for (final List<String> row : rows)
            {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        final StringBuilder text = new StringBuilder();
        appendAligned(text, header, widths);
        for (final List<String> row : rows)
        {
            appendAligned(text, row, widths);
        }
        return text.toString();
    }

    private static void appendAligned(final StringBuilder text, final List<String> cells, final int[] widths)
    {
        for (int i = 0; i < cells.size(); i++)
        {
            final String cell = cells.get(i);
            final String padding = " ".repeat(widths[i] - cell.length());
            text.append(i == 0 ? cell + padding : "  " + padding + cell);
        }
        text.append('\n');
    }

    static String markdown(final List<String> header, final List<List<String>> rows)
    {
        final StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++)
        {
            text.append(i == 0 ? "---|" : "---:|");
        }
        text.append('\n');
        for (final List<String> row : rows)
        {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return text.toString();
    }

    private static String micros(final long nanos)
    {
        final double micros = nanos / 1_000.0;
        return String.format(Locale.ROOT, micros < 100 ? "%.2f" : "%.0f", micros);
    }

    static String rate(final double perSecond)
    {
        if (perSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        return String.format(Locale.ROOT, perSecond >= 1e3 ? "%.1fk" : "%.0f", perSecond >= 1e3 ? perSecond / 1e3 : perSecond);
    }

    static String ratio(final double ratio)
    {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String perMessage(final double value)
    {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
