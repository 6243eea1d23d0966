package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The peer: Chronicle Queue, one queue per direction in the run directory (tmpfs, like the rings). The
 * sender appends one document per message (a 4-byte type id, then the payload copied from memory with
 * {@code unsafeWrite}); the receiver's tailer busy-spins on {@code readingDocument()} and hands the
 * payload to the handler in place. A queue is a journal, not a ring: it keeps every message until the
 * run directory is deleted.
 */
final class ChronicleQueueTransport implements Transport
{
    private final String name;

    ChronicleQueueTransport(final String name)
    {
        this.name = name;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "Chronicle Queue appender/tailer, busy-spinning tailer";
    }

    @Override
    public boolean blocking()
    {
        return false;
    }

    @Override
    public List<String> childJvmFlags()
    {
        return ChronicleFlags.jvmFlags();
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context)
    {
        ChronicleFlags.applyProperties();
        final boolean parent = role == Role.PARENT;
        final Path pingPath = context.directory().resolve(name + "-ping");
        final Path pongPath = context.directory().resolve(name + "-pong");
        final ChronicleQueue ping = ChronicleQueue.singleBuilder(pingPath).build();
        final ChronicleQueue pong;
        try
        {
            pong = ChronicleQueue.singleBuilder(pongPath).build();
        }
        catch (final RuntimeException ex)
        {
            ping.close();
            throw ex;
        }
        final Sender sender = new QueueSender(
            (parent ? ping : pong).createAppender(), context.spinWait(name + (parent ? " ping" : " pong")));
        final Receiver receiver = new QueueReceiver(
            (parent ? pong : ping).createTailer(), context.spinWait(name + (parent ? " pong" : " ping")));
        return new QueueSide(sender, receiver, ping, pong);
    }

    /**
     * Appends a document per message: type id, then the payload.
     */
    private static final class QueueSender implements Sender
    {
        private final ExcerptAppender appender;
        private final SpinWait spin;

        QueueSender(final ExcerptAppender appender, final SpinWait spin)
        {
            this.appender = appender;
            this.spin = spin;
        }

        @Override
        public void send(final int typeId, final DirectBuffer src, final int offset, final int length)
        {
            try (DocumentContext document = appender.writingDocument())
            {
                final Bytes<?> bytes = document.wire().bytes();
                bytes.writeInt(typeId);
                final byte[] array = src.byteArray();
                if (array != null)
                {
                    bytes.write(array, src.wrapAdjustment() + offset, length);
                }
                else
                {
                    bytes.unsafeWrite(src.addressOffset() + offset, length);
                }
            }
            spin.reset();
        }

        @Override
        public void close()
        {
            appender.close();
        }
    }

    /**
     * Busy-spins on the tailer; hands each document's payload over in place through one reused view.
     */
    private static final class QueueReceiver implements Receiver
    {
        private final ExcerptTailer tailer;
        private final SpinWait spin;
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

        QueueReceiver(final ExcerptTailer tailer, final SpinWait spin)
        {
            this.tailer = tailer;
            this.spin = spin;
        }

        @Override
        public int receive(final MessageHandler handler, final int limit)
        {
            int delivered = 0;
            while (delivered < limit)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        if (delivered > 0)
                        {
                            break;
                        }
                        spin.idle();
                        continue;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    final int typeId = bytes.readInt();
                    final int length = (int)bytes.readRemaining();
                    view.wrap(bytes.addressForRead(bytes.readPosition(), length), length);
                    delivered++;
                    handler.onMessage(typeId, view, 0, length);
                }
            }
            spin.reset();
            return delivered;
        }

        @Override
        public void close()
        {
            tailer.close();
        }
    }

    /**
     * Both queues of one process; the run directory's deletion removes their files.
     */
    private record QueueSide(Sender sender, Receiver receiver, ChronicleQueue ping, ChronicleQueue pong)
        implements TransportSide
    {
        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
        }

        @Override
        public void close()
        {
            Closer.closeAll(sender, receiver, ping, pong);
        }
    }
}
