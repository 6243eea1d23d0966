package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline: Agrona's {@link BroadcastTransmitter} (lossy: it never waits) over a file mapped with {@link IoUtil}
 * in the run directory, of the same capacity as shmring's rings; each consumer a {@link BroadcastReceiver} that copies
 * the payload, then validates, then delivers the copy (what Agrona's {@code CopyBroadcastReceiver} does, except that
 * it throws once lapped: here a lap is counted and reading goes on, as shmring's lossy consumer does).
 */
final class AgronaBroadcastFanOut implements FanOutPeer
{
    /** The name of the row every ratio is taken against. */
    static final String NAME = "agrona-broadcast";

    private static final String FILE = "fanout-agrona.broadcast";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "Agrona BroadcastTransmitter/BroadcastReceiver (lossy) over a mapped file, copy then validate, busy-spin poll";
    }

    @Override
    public boolean lossless()
    {
        return false;
    }

    @Override
    public Producer producer(final Path directory, final int consumers, final SpinWait spin)
    {
        final File file = directory.resolve(FILE).toFile();
        final MappedByteBuffer map = IoUtil.mapNewFile(file, Transport.RING_CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
        final BroadcastTransmitter transmitter = new BroadcastTransmitter(new UnsafeBuffer(map));
        return new Producer()
        {
            @Override
            public void send(final int typeId, final DirectBuffer src, final int length)
            {
                transmitter.transmit(typeId, src, 0, length);
            }

            @Override
            public void close()
            {
                IoUtil.unmap(map);
                Closer.closeAll(() -> Files.deleteIfExists(file.toPath()));
            }
        };
    }

    @Override
    public Consumer consumer(final Path directory, final int index)
    {
        final MappedByteBuffer map = IoUtil.mapExistingFile(directory.resolve(FILE).toFile(), NAME);
        final BroadcastReceiver receiver = new BroadcastReceiver(new UnsafeBuffer(map));
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[Transport.MAX_MESSAGE_LENGTH]);
        return new Consumer()
        {
            @Override
            public int poll(final MessageHandler handler, final int limit)
            {
                int delivered = 0;
                while (delivered < limit && receiver.receiveNext())
                {
                    final int length = receiver.length();
                    final int offset = receiver.offset();
                    final boolean fits = length >= 0 && length <= copy.capacity() && length <= receiver.capacity() - offset;
                    if (fits) // a header being overwritten may say anything: copy only what lies in the buffer
                    {
                        copy.putBytes(0, receiver.buffer(), offset, length);
                    }
                    if (receiver.validate() && fits) // the transmitter did not begin to overwrite it while we copied
                    {
                        delivered++;
                        handler.onMessage(receiver.typeId(), copy, 0, length);
                    }
                }
                return delivered;
            }

            @Override
            public long laps()
            {
                return receiver.lappedCount();
            }

            @Override
            public void close()
            {
                IoUtil.unmap(map);
            }
        };
    }
}
