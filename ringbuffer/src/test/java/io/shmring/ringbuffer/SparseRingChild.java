package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.shmring.ringbuffer.internal.RingDescriptor.*;

/**
 * Child JVM of {@link RingFileFaultTest}: makes a ring file the way docs/LAYOUT.md lets an in-place creator make one —
 * sized with {@code ftruncate}, only its header written, the rest a hole — then opens it with {@link RingFile#open}
 * and prints one line, {@code OPENED} or the exception's class and message. Run on a tmpfs too small for the data.
 */
public final class SparseRingChild
{
    private SparseRingChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final int capacity = Integer.parseInt(args[1]);
        Files.createFile(path, TestPaths.ownerOnly()); // mode 0600, as a creator must make a ring (docs/LAYOUT.md 1.2)
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.setLength(fileLength(capacity, 0)); // sparse: no page allocated
            final ByteBuffer header = ByteBuffer.allocate(HEADER_FIELDS_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC_OFFSET, MAGIC)
                .putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION_FENCED)
                .putInt(RING_KIND_OFFSET, RingKind.SPSC.code())
                .putInt(CAPACITY_OFFSET, capacity)
                .putInt(MAX_MESSAGE_LENGTH_OFFSET, defaultMaxMessageLength(capacity))
                .putInt(PRODUCER_SLOTS_OFFSET, 0)
                .putInt(WAKE_MECHANISM_OFFSET, 1)
                .putLong(DATA_START_OFFSET, dataStart(0))
                .putLong(FILE_LENGTH_OFFSET, fileLength(capacity, 0));
            final FileChannel channel = file.getChannel();
            channel.write(header, 0);
        }
        try (RingFile ring = RingFile.open(path))
        {
            System.out.println("OPENED " + ring);
        }
        catch (final RuntimeException | Error ex)
        {
            System.out.println(ex.getClass().getName() + ": " + ex.getMessage());
            if (Boolean.getBoolean("trace"))
            {
                ex.printStackTrace(System.out);
            }
        }
    }
}
