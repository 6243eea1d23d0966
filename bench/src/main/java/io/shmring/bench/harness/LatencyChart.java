package io.shmring.bench.harness;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The PNG: one panel per message size, grouped bars of the round-trip p50, p90 and p99 per transport on
 * a logarithmic µs axis (XChart), panels stacked top to bottom.
 */
final class LatencyChart
{
    private static final int WIDTH = 1100;
    private static final int PANEL_HEIGHT = 430;

    private LatencyChart()
    {
    }

    /**
     * @param file      PNG to write.
     * @param summaries results; only round-trip rows are drawn.
     * @param subtitle  what ran where, appended to each panel's title.
     */
    static void write(final Path file, final List<Summary> summaries, final String subtitle)
    {
        final TreeSet<Integer> sizes = new TreeSet<>();
        for (final Summary summary : summaries)
        {
            if (PhaseResult.RTT.equals(summary.mode()))
            {
                sizes.add(summary.size());
            }
        }
        final List<CategoryChart> panels = new ArrayList<>();
        for (final int size : sizes)
        {
            panels.add(panel(summaries, size, subtitle));
        }
        if (panels.isEmpty())
        {
            throw new IllegalArgumentException("no round-trip results to chart: rows=" + summaries.size());
        }
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file))
            {
                BitmapEncoder.saveBitmap(panels, panels.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    private static CategoryChart panel(final List<Summary> summaries, final int size, final String subtitle)
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(PANEL_HEIGHT)
            .title("Round-trip latency, " + size + " B messages (" + subtitle + ")")
            .yAxisTitle("µs (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        final List<String> names = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p90 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        for (final Summary summary : summaries)
        {
            if (PhaseResult.RTT.equals(summary.mode()) && summary.size() == size)
            {
                names.add(summary.transport());
                p50.add(summary.p50() / 1_000.0);
                p90.add(summary.p90() / 1_000.0);
                p99.add(summary.p99() / 1_000.0);
            }
        }
        // XChart's bars start at the axis minimum, which must be positive on a log axis: the decade below the lowest bar
        final double lowest = p50.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(lowest, 1e-3)))));
        chart.addSeries("p50", names, p50);
        chart.addSeries("p90", names, p90);
        chart.addSeries("p99", names, p99);
        return chart;
    }
}
