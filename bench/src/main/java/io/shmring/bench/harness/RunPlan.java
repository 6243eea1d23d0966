package io.shmring.bench.harness;

import java.nio.file.Path;

/**
 * One run of a mode that measures every peer at several process counts ({@code --fanout}, {@code --fanin}): what the
 * run is to do, whatever the peer.
 *
 * @param processes  the process count (consumers of a fan-out, producers of a fan-in).
 * @param size       payload bytes per message.
 * @param warmup     messages sent before the measured ones (all producers together).
 * @param count      measured messages (all producers together).
 * @param round      round number (1-based; 0 in a warm-up round).
 * @param directory  the run's directory, made by the run and deleted after it.
 * @param stallNanos how long a channel may move nothing before the run fails.
 */
record RunPlan(int processes, int size, long warmup, long count, int round, Path directory, long stallNanos)
{
}
