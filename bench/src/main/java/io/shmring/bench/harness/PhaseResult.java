package io.shmring.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * One measured phase: one transport, one mode, one size, one round.
 *
 * @param transport   CSV name.
 * @param mode        {@link #RTT} or {@link #ONEWAY}.
 * @param size        payload bytes.
 * @param round       round number from 1 (0 is the discarded warm-up round).
 * @param count       round trips (rtt) or messages (oneway) measured.
 * @param p50         median latency in ns: round trip, or (oneway) send-to-receive of sampled messages.
 * @param p90         90th percentile in ns.
 * @param p99         99th percentile in ns.
 * @param p999        99.9th percentile in ns.
 * @param max         largest in ns.
 * @param msgsPerSec  round trips per second (rtt) or messages per second received (oneway).
 * @param waitsPerMsg native sleep calls of both processes per message moved (blocking modes).
 * @param wakesPerMsg native wake calls of both processes per message moved (blocking modes).
 */
public record PhaseResult(
    String transport, String mode, int size, int round, long count,
    long p50, long p90, long p99, long p999, long max, double msgsPerSec, double waitsPerMsg, double wakesPerMsg)
{
    /** Ping-pong round trips through the echoing child. */
    public static final String RTT = "rtt";
    /** The child streams, the parent receives. */
    public static final String ONEWAY = "oneway";

    /**
     * @return a copy with the wait and wake rates.
     */
    PhaseResult withWakeups(final double waitsPerMsg, final double wakesPerMsg)
    {
        return new PhaseResult(transport, mode, size, round, count, p50, p90, p99, p999, max, msgsPerSec, waitsPerMsg, wakesPerMsg);
    }

    /**
     * @return a result from a histogram.
     */
    static PhaseResult of(
        final String transport, final String mode, final int size, final int round, final long count,
        final Histogram histogram, final double msgsPerSec)
    {
        return new PhaseResult(transport, mode, size, round, count,
            histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), msgsPerSec, 0, 0);
    }
}
