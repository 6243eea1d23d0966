package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out shmring had before broadcast rings: one SPSC ring per consumer, the producer writing each message once
 * per consumer (busy spin while a ring is full).
 */
final class ShmSpscPerConsumerFanOut implements FanOutPeer
{
    @Override
    public String name()
    {
        return "shmring-spsc-per-consumer";
    }

    @Override
    public String description()
    {
        return "one shmring SPSC ring per consumer, each message written N times, busy-spin poll";
    }

    @Override
    public boolean lossless()
    {
        return true;
    }

    private static Path path(final Path directory, final int index)
    {
        return directory.resolve("fanout-spsc-" + index + ".ring");
    }

    @Override
    public Producer producer(final Path directory, final int consumers, final SpinWait spin)
    {
        final List<AutoCloseable> resources = new ArrayList<>();
        final SpscProducer[] producers = new SpscProducer[consumers];
        try
        {
            for (int i = 0; i < consumers; i++)
            {
                final Path path = path(directory, i);
                final RingFile file = RingFile.create(path, RingConfig.spsc(Transport.RING_CAPACITY));
                resources.add(() -> Files.deleteIfExists(path));
                resources.add(file);
                producers[i] = new SpscProducer(file);
                resources.add(producers[i]);
            }
        }
        catch (final RuntimeException ex)
        {
            closeInReverse(resources);
            throw ex;
        }
        return new Producer()
        {
            @Override
            public void send(final int typeId, final DirectBuffer src, final int length)
            {
                for (final SpscProducer producer : producers)
                {
                    while (!producer.offer(typeId, src, 0, length))
                    {
                        spin.idle();
                    }
                }
                spin.reset();
            }

            @Override
            public void close()
            {
                closeInReverse(resources);
            }
        };
    }

    private static void closeInReverse(final List<AutoCloseable> resources)
    {
        final List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        Closer.closeAll(reversed.toArray(new AutoCloseable[0]));
    }

    @Override
    public Consumer consumer(final Path directory, final int index)
    {
        final RingFile file = RingFile.open(path(directory, index), RingKind.SPSC);
        final SpscConsumer consumer = Closer.applyOrClose(file, SpscConsumer::new);
        return new Consumer()
        {
            @Override
            public int poll(final MessageHandler handler, final int limit)
            {
                return consumer.poll(handler, limit);
            }

            @Override
            public long laps()
            {
                return 0;
            }

            @Override
            public void close()
            {
                Closer.closeAll(consumer, file);
            }
        };
    }
}
