package io.shmring.bench.harness;

import java.util.Locale;

/**
 * One fan-in run: one peer, one producer count, one round.
 *
 * @param peer          the peer's name.
 * @param producers     producer processes.
 * @param size          payload bytes per message.
 * @param round         round number (1-based).
 * @param count         measured messages, all producers together.
 * @param msgsPerSecond {@code count} over the time from the first producer's first measured send to the consumer's
 *                      receipt of the last end message.
 * @param sent          data messages the producers sent, warm-up included.
 * @param received      data messages the consumer received, each checked (the run fails unless it equals
 *                      {@code sent}).
 */
record FanInResult(String peer, int producers, int size, int round, long count, double msgsPerSecond, long sent, long received)
    implements ProcessCountResult
{
    /** Header of the raw CSV. */
    static final String CSV_HEADER = "peer,producers,size,round,count,msgs_per_s,sent,received";

    @Override
    public int processes()
    {
        return producers;
    }

    @Override
    public String csv()
    {
        return peer + "," + producers + "," + size + "," + round + "," + count + "," + Math.round(msgsPerSecond) + "," +
            sent + "," + received;
    }

    @Override
    public String progress()
    {
        return String.format(Locale.ROOT, "%s msgs/s, received %,d of %,d", ResultTable.rate(msgsPerSecond), received, sent);
    }
}
