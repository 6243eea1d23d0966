package io.shmring.bench.harness;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.util.Map;

/**
 * The peer: Agrona's {@link OneToOneRingBuffer} or {@link ManyToOneRingBuffer} over a file mapped with
 * {@link IoUtil} in the run directory (the same tmpfs as shmring's rings), of the same capacity, polled
 * with the same busy spin as shmring's spinning modes.
 */
final class AgronaRingTransport implements Transport
{
    private final String name;
    private final boolean manyToOne;

    AgronaRingTransport(final String name, final boolean manyToOne)
    {
        this.name = name;
        this.manyToOne = manyToOne;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "Agrona " + (manyToOne ? "ManyToOneRingBuffer" : "OneToOneRingBuffer") + " over a mapped file, busy-spin poll";
    }

    @Override
    public boolean blocking()
    {
        return false;
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context) throws Exception
    {
        final boolean parent = role == Role.PARENT;
        final File ping = context.directory().resolve(name + "-ping.ring").toFile();
        final File pong = context.directory().resolve(name + "-pong.ring").toFile();
        final long length = RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        final MappedByteBuffer pingMap = parent ? IoUtil.mapNewFile(ping, length) : IoUtil.mapExistingFile(ping, name + " ping");
        final MappedByteBuffer pongMap;
        try
        {
            pongMap = parent ? IoUtil.mapNewFile(pong, length) : IoUtil.mapExistingFile(pong, name + " pong");
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(pingMap);
            throw ex;
        }
        final RingBuffer pingRing = ring(pingMap);
        final RingBuffer pongRing = ring(pongMap);
        final AutoCloseable unmap = () ->
        {
            IoUtil.unmap(pingMap);
            IoUtil.unmap(pongMap);
            if (parent)
            {
                Files.deleteIfExists(ping.toPath());
                Files.deleteIfExists(pong.toPath());
            }
        };
        final Sender sender = new AgronaRingSender(parent ? pingRing : pongRing,
            context.spinWait(name + (parent ? " ping" : " pong")), null);
        final Receiver receiver = new AgronaRingReceiver(parent ? pongRing : pingRing,
            context.spinWait(name + (parent ? " pong" : " ping")), null);
        return new AgronaSide(sender, receiver, unmap);
    }

    private RingBuffer ring(final MappedByteBuffer map)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(map);
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    /**
     * Both rings of one process; closing unmaps them and, on the parent, deletes the files.
     */
    private record AgronaSide(Sender sender, Receiver receiver, AutoCloseable unmap) implements TransportSide
    {
        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
        }

        @Override
        public void close()
        {
            Closer.closeAll(sender, receiver, unmap);
        }
    }
}
