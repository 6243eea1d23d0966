package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;

/**
 * One small ring of each kind with its default ends, for tests that run the same steps on every kind.
 */
final class RingKinds
{
    private RingKinds()
    {
    }

    /**
     * @return an SPSC or MPSC ring, or a lossless broadcast ring of 2 consumer slots, of that capacity.
     */
    static RingConfig config(final RingKind kind, final int capacity)
    {
        return switch (kind)
        {
            case SPSC -> RingConfig.spsc(capacity);
            case MPSC -> RingConfig.mpsc(capacity);
            case BROADCAST -> RingConfig.broadcast(capacity, BroadcastConfig.lossless(2));
        };
    }

    /**
     * @return the kind's consumer, with the default wait strategy.
     */
    static Subscriber consumer(final RingKind kind, final RingFile file)
    {
        return switch (kind)
        {
            case SPSC -> new SpscConsumer(file);
            case MPSC -> new MpscConsumer(file);
            case BROADCAST -> new BroadcastConsumer(file);
        };
    }

    /**
     * @return the kind's producer, with the default wait strategy.
     */
    static Publisher producer(final RingKind kind, final RingFile file)
    {
        return switch (kind)
        {
            case SPSC -> new SpscProducer(file);
            case MPSC -> new MpscProducer(file);
            case BROADCAST -> new BroadcastProducer(file);
        };
    }
}
