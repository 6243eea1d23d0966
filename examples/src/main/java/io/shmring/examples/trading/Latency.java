package io.shmring.examples.trading;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Latency histograms in nanoseconds and the one line format the demo prints them in.
 */
final class Latency
{
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Latency()
    {
    }

    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    }

    /**
     * Record without allocating; a value beyond the range is clamped to it, a negative one (a clock read
     * before the stamp it is compared with cannot happen on one monotonic clock) to 0.
     */
    static void record(final Histogram histogram, final long nanos)
    {
        histogram.recordValue(Math.max(0, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    /**
     * @return e.g. {@code tick->order us: p50 12.34  p90 ...  p99 ...  p99.9 ...  max ...  (n=10,000)}.
     */
    static String percentileLine(final String label, final Histogram histogram)
    {
        return String.format(Locale.ROOT, "%s us: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%,d)", label,
            micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(90)),
            micros(histogram.getValueAtPercentile(99)), micros(histogram.getValueAtPercentile(99.9)),
            micros(histogram.getMaxValue()), histogram.getTotalCount());
    }

    static double micros(final long nanos)
    {
        return nanos / 1_000.0;
    }
}
