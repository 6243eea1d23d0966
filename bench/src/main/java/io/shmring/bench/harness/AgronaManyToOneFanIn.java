package io.shmring.bench.harness;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline: Agrona's {@link ManyToOneRingBuffer} over a file mapped with {@link IoUtil} in the run directory (the
 * same tmpfs as shmring's ring), of the same capacity; every producer process and the consumer map it and wrap it,
 * {@code write} and {@code read} busy-spinning as the point-to-point {@code agrona-many-to-one} does.
 */
final class AgronaManyToOneFanIn implements FanInPeer
{
    /** The name of the row every ratio is taken against. */
    static final String NAME = "agrona-many-to-one";

    private static final String FILE = "fanin-agrona.ring";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "Agrona ManyToOneRingBuffer over a mapped file, busy-spin write and read";
    }

    @Override
    public AutoCloseable create(final Path directory)
    {
        final Path path = directory.resolve(FILE);
        IoUtil.unmap(IoUtil.mapNewFile(path.toFile(), Transport.RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
        return () -> Files.deleteIfExists(path);
    }

    @Override
    public Sender producer(final Path directory, final SpinWait spin)
    {
        final MappedByteBuffer map = map(directory);
        return new AgronaRingSender(new ManyToOneRingBuffer(new UnsafeBuffer(map)), spin, () -> IoUtil.unmap(map));
    }

    @Override
    public Receiver consumer(final Path directory, final SpinWait spin)
    {
        final MappedByteBuffer map = map(directory);
        return new AgronaRingReceiver(new ManyToOneRingBuffer(new UnsafeBuffer(map)), spin, () -> IoUtil.unmap(map));
    }

    private static MappedByteBuffer map(final Path directory)
    {
        final File file = directory.resolve(FILE).toFile();
        return IoUtil.mapExistingFile(file, NAME);
    }
}
