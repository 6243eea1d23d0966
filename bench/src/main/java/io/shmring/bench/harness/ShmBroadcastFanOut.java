package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import org.agrona.DirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * shmring's broadcast ring: one producer, every consumer a slot of the same ring (docs/LAYOUT.md section 7), each
 * message written once. Lossless: the producer waits for the slowest consumer (busy spin; the stall timeout is a day,
 * so nobody is dropped for being slow on a crowded machine). Lossy: the producer never waits; consumers copy, validate
 * and count laps.
 */
final class ShmBroadcastFanOut implements FanOutPeer
{
    private static final String FILE = "fanout-broadcast.ring";

    private final boolean lossless;

    ShmBroadcastFanOut(final boolean lossless)
    {
        this.lossless = lossless;
    }

    @Override
    public String name()
    {
        return lossless ? "shmring-broadcast-lossless" : "shmring-broadcast-lossy";
    }

    @Override
    public String description()
    {
        return "shmring broadcast ring (" + (lossless ? "lossless: the producer waits for the slowest consumer" :
            "lossy: the producer never waits, consumers copy then validate") + "), busy-spin poll";
    }

    @Override
    public boolean lossless()
    {
        return lossless;
    }

    @Override
    public Producer producer(final Path directory, final int consumers, final SpinWait spin)
    {
        final BroadcastConfig broadcast = lossless ?
            BroadcastConfig.lossless(consumers).withStallTimeoutMs(BroadcastDescriptor.MAX_STALL_TIMEOUT_MS) :
            BroadcastConfig.of(consumers, BroadcastPolicy.LOSSY);
        final Path path = directory.resolve(FILE);
        final RingFile file = RingFile.create(path, RingConfig.broadcast(Transport.RING_CAPACITY, broadcast));
        final BroadcastProducer producer;
        try
        {
            producer = new BroadcastProducer(file);
        }
        catch (final RuntimeException ex)
        {
            Closer.closeAll(file, () -> Files.deleteIfExists(path));
            throw ex;
        }
        return new Producer()
        {
            @Override
            public void send(final int typeId, final DirectBuffer src, final int length)
            {
                while (!producer.offer(typeId, src, 0, length))
                {
                    spin.idle();
                }
                spin.reset();
            }

            @Override
            public void close()
            {
                Closer.closeAll(producer, file, () -> Files.deleteIfExists(path));
            }
        };
    }

    @Override
    public Consumer consumer(final Path directory, final int index)
    {
        final RingFile file = RingFile.open(directory.resolve(FILE), RingKind.BROADCAST);
        final BroadcastConsumer consumer = Closer.applyOrClose(file, BroadcastConsumer::new);
        return new Consumer()
        {
            @Override
            public int poll(final MessageHandler handler, final int limit)
            {
                final int delivered = consumer.poll(handler, limit);
                if (delivered == BroadcastConsumer.DROPPED)
                {
                    throw new IllegalStateException("lossless consumer " + index + " was dropped at position " + consumer.position());
                }
                return delivered;
            }

            @Override
            public long laps()
            {
                return consumer.laps();
            }

            @Override
            public void close()
            {
                Closer.closeAll(consumer, file);
            }
        };
    }
}
