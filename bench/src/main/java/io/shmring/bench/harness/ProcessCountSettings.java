package io.shmring.bench.harness;

import java.util.List;

/**
 * The options of a mode that measures every peer at several process counts ({@code --fanout}, {@code --fanin}).
 *
 * @param counts       the process counts, in table order.
 * @param size         payload bytes per message.
 * @param count        measured messages per run; a tenth more go first as warm-up.
 * @param rounds       measured rounds.
 * @param warmupRounds rounds run first and discarded.
 * @param seed         seed of the per-round shuffle.
 * @param stallNanos   how long a channel may move nothing before a run fails.
 */
record ProcessCountSettings(List<Integer> counts, int size, long count, int rounds, int warmupRounds, long seed, long stallNanos)
{
    /**
     * @return the warm-up messages of a run: a tenth of the measured ones.
     */
    long warmup()
    {
        return count / 10;
    }
}
