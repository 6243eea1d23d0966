package io.shmring.bench.harness;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * What a side of a transport is opened with.
 *
 * @param directory   where this run's files go (ring files, sockets, FIFOs, queues); deleted after the run.
 * @param peerAlive   true while the other process lives.
 * @param stallNanos  how long a channel may move nothing before the run fails.
 * @param streamBatch {@code batch=} bytes for the stream adapters' publishers (0: one write per message).
 */
public record TransportContext(Path directory, BooleanSupplier peerAlive, long stallNanos, int streamBatch)
{
    /**
     * @param what the channel, for messages.
     * @return a new idle/stall check for one channel.
     */
    public SpinWait spinWait(final String what)
    {
        return new SpinWait(what, peerAlive, stallNanos);
    }
}
