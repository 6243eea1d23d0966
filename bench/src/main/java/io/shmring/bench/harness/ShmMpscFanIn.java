package io.shmring.bench.harness;

import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.IdleWaitStrategy;

import java.nio.file.Path;

/**
 * shmring's MPSC ring ({@link MpscProducer} in every producer process, one {@link MpscConsumer}), used directly with
 * the plain {@code offer} and {@code poll}, both busy-spinning as the point-to-point {@code shmring-mpsc} does.
 */
final class ShmMpscFanIn implements FanInPeer
{
    /** The name of the row every ratio is taken for. */
    static final String NAME = "shmring-mpsc";

    private static final String FILE = "fanin-mpsc.ring";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "shmring MPSC ring file, one MpscProducer per producer process, busy-spin offer and poll";
    }

    @Override
    public AutoCloseable create(final Path directory)
    {
        final RingFile file = RingFile.create(directory.resolve(FILE), RingConfig.mpsc(Transport.RING_CAPACITY));
        return () ->
        {
            file.close();
            file.delete();
        };
    }

    @Override
    public Sender producer(final Path directory, final SpinWait spin)
    {
        final RingFile file = RingFile.open(directory.resolve(FILE), RingKind.MPSC);
        final MpscProducer producer = Closer.applyOrClose(file, (ring) -> new MpscProducer(ring, IdleWaitStrategy.busySpin()));
        return new SpinningPublisherSender(producer, spin, file);
    }

    @Override
    public Receiver consumer(final Path directory, final SpinWait spin)
    {
        final RingFile file = RingFile.open(directory.resolve(FILE), RingKind.MPSC);
        final MpscConsumer consumer = Closer.applyOrClose(file, (ring) -> new MpscConsumer(ring, IdleWaitStrategy.busySpin()));
        return new SpinningSubscriberReceiver(consumer, spin, file);
    }
}
