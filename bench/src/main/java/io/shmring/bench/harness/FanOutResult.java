package io.shmring.bench.harness;

import java.util.Locale;

/**
 * One fan-out run: one peer, one consumer count, one round.
 *
 * @param peer          the peer's name.
 * @param consumers     consumer processes.
 * @param size          payload bytes per message.
 * @param round         round number (1-based).
 * @param count         messages the producer sent in the measured part.
 * @param msgsPerSecond {@code count} over the time from the producer's first measured send to the last consumer's
 *                      receipt of the end message.
 * @param minDelivered  the fewest measured messages any consumer received ({@code count} for lossless peers).
 * @param laps          laps summed over the consumers (lossy peers).
 */
record FanOutResult(String peer, int consumers, int size, int round, long count, double msgsPerSecond, long minDelivered, long laps)
    implements ProcessCountResult
{
    /** Header of the raw CSV. */
    static final String CSV_HEADER = "peer,consumers,size,round,count,msgs_per_s,min_delivered,laps";

    @Override
    public int processes()
    {
        return consumers;
    }

    @Override
    public String csv()
    {
        return peer + "," + consumers + "," + size + "," + round + "," + count + "," + Math.round(msgsPerSecond) + "," +
            minDelivered + "," + laps;
    }

    @Override
    public String progress()
    {
        return String.format(Locale.ROOT, "%s msgs/s, worst consumer %,d of %,d, laps %,d", ResultTable.rate(msgsPerSecond),
            minDelivered, count, laps);
    }
}
