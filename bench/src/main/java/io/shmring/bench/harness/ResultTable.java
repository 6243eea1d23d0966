package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The human-readable tables: round-trip latency, then one-way throughput, each row with its ratio to
 * {@link Peers#BASELINE} at the same size and mode (above 1: slower than shmring SPSC) and, for blocking
 * modes, native sleep and wake calls per message. As aligned text for stdout or as Markdown.
 */
final class ResultTable
{
    private static final List<String> RTT_HEADER = List.of(
        "transport", "size", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "p50 spread µs", "vs spsc",
        "waits/msg", "wakes/msg");
    private static final List<String> ONEWAY_HEADER = List.of(
        "transport", "size", "msgs/s", "MB/s", "msgs/s spread", "vs spsc", "p50 µs", "p99 µs", "waits/msg", "wakes/msg");

    private final List<Summary> summaries;
    private final Set<String> blocking;
    private final Map<String, Summary> baseline = new HashMap<>();

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
            if (Peers.BASELINE.equals(summary.transport()))
            {
                baseline.put(summary.mode() + "|" + summary.size(), summary);
            }
        }
    }

    /**
     * @return both tables as aligned text.
     */
    String text()
    {
        return "Round-trip latency (ping-pong through the echoing child; median of rounds)\n" +
            aligned(RTT_HEADER, rows(PhaseResult.RTT)) +
            "\nOne-way throughput (child streams, parent receives; latency: send to receive of 1 in 64, queueing included)\n" +
            aligned(ONEWAY_HEADER, rows(PhaseResult.ONEWAY)) +
            "\nvs spsc: p50 (rtt) or msgs/s (one-way) relative to " + Peers.BASELINE +
            " at the same size; above 1 is slower. Spread: lowest and highest round.\n";
    }

    /**
     * @return both tables in Markdown.
     */
    String markdown()
    {
        return "**Round-trip latency** (median of rounds)\n\n" + markdown(RTT_HEADER, rows(PhaseResult.RTT)) +
            "\n**One-way throughput** (median of rounds; latency of 1 in 64 messages, queueing included)\n\n" +
            markdown(ONEWAY_HEADER, rows(PhaseResult.ONEWAY));
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
            final Summary base = baseline.get(s.mode() + "|" + s.size());
            final boolean counted = blocking.contains(s.transport());
            if (PhaseResult.RTT.equals(mode))
            {
                rows.add(List.of(s.transport(), s.size() + " B", micros(s.p50()), micros(s.p90()), micros(s.p99()),
                    micros(s.p999()), micros(s.max()), micros(s.p50Low()) + "–" + micros(s.p50High()),
                    base == null ? "-" : ratio((double)s.p50() / base.p50()),
                    counted ? perMessage(s.waitsPerMsg()) : "-", counted ? perMessage(s.wakesPerMsg()) : "-"));
            }
            else
            {
                rows.add(List.of(s.transport(), s.size() + " B", rate(s.msgsPerSec()),
                    String.format(Locale.ROOT, "%.0f", s.msgsPerSec() * s.size() / 1e6),
                    rate(s.rateLow()) + "–" + rate(s.rateHigh()),
                    base == null ? "-" : ratio(base.msgsPerSec() / s.msgsPerSec()),
                    micros(s.p50()), micros(s.p99()),
                    counted ? perMessage(s.waitsPerMsg()) : "-", counted ? perMessage(s.wakesPerMsg()) : "-"));
            }
        }
        return rows;
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
