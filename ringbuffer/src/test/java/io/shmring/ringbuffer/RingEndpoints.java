package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.WaitStrategy;

/**
 * Builds the producer and consumer of a ring by its kind, so wakeup tests run unchanged for SPSC and MPSC.
 */
final class RingEndpoints
{
    private RingEndpoints()
    {
    }

    static Publisher publisher(final RingFile file, final WaitStrategy waitStrategy)
    {
        switch (file.kind())
        {
            case SPSC:
                return new SpscProducer(file, waitStrategy);
            case MPSC:
                return new MpscProducer(file, waitStrategy);
            default:
                throw new UnsupportedOperationException("no producer with wakeups for kind=" + file.kind());
        }
    }

    static Subscriber subscriber(final RingFile file, final WaitStrategy waitStrategy)
    {
        switch (file.kind())
        {
            case SPSC:
                return new SpscConsumer(file, waitStrategy);
            case MPSC:
                return new MpscConsumer(file, waitStrategy);
            default:
                throw new UnsupportedOperationException("no consumer with wakeups for kind=" + file.kind());
        }
    }

    static RingWakeups wakeups(final Object endpoint)
    {
        if (endpoint instanceof SpscProducer)
        {
            return ((SpscProducer)endpoint).wakeups();
        }
        if (endpoint instanceof SpscConsumer)
        {
            return ((SpscConsumer)endpoint).wakeups();
        }
        if (endpoint instanceof MpscProducer)
        {
            return ((MpscProducer)endpoint).wakeups();
        }
        if (endpoint instanceof MpscConsumer)
        {
            return ((MpscConsumer)endpoint).wakeups();
        }
        throw new UnsupportedOperationException("no wakeups for endpoint=" + endpoint);
    }
}
