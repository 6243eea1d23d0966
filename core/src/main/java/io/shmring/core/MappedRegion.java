package io.shmring.core;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file mapped read-write into memory and shared with every process that maps it.
 * <p>
 * The mapping covers exactly the file length seen when it was made, so any access below
 * {@link #length()} is safe as long as no other process truncates the file; layouts built on a
 * region check the length their header claims against {@link #length()} before touching more.
 */
public final class MappedRegion implements AutoCloseable
{
    /** Page size regions are aligned to. */
    public static final int PAGE_SIZE = 4096;

    /** Largest region one mapping can hold: a Java buffer is int-indexed (and direct regions need room to align). */
    public static final long MAX_LENGTH = Integer.MAX_VALUE - 3L * PAGE_SIZE;

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;
    /** What close releases: the file mapping, or the whole direct allocation the aligned region was cut from. */
    private final ByteBuffer owner;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private MappedRegion(final Path path, final ByteBuffer owner, final ByteBuffer region)
    {
        this.path = path;
        this.owner = owner;
        this.buffer = new UnsafeBuffer(region);
    }

    private MappedRegion(final Path path, final ByteBuffer mapping)
    {
        this(path, mapping, mapping);
    }

    /**
     * Create a new zero-filled file of {@code length} bytes, readable and writable by its owner only
     * (mode 0600 where the file system has POSIX permissions), and map it.
     *
     * @param path   file to create; it must not exist.
     * @param length bytes, from 1 to {@link #MAX_LENGTH}.
     * @return the mapped region.
     * @throws IllegalArgumentException if the length is out of range.
     * @throws IllegalStateException    if the file already exists.
     * @throws UncheckedIOException     on any other I/O failure.
     */
    public static MappedRegion create(final Path path, final long length)
    {
        checkLength(path, length);
        try (FileChannel channel = FileChannel.open(
            path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            ownerOnlyAttributes(path)))
        {
            writeZeros(channel, length);
            final MappedRegion region = new MappedRegion(path, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
            region.prefault(0, region.length());
            return region;
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException("file already exists: path=" + path, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create mapped file: path=" + path + " length=" + length, ex);
        }
    }

    /**
     * Allocate a zero-filled region of direct memory with no file behind it: for rings shared only
     * between threads of this process, such as in JCStress tests and JMH benchmarks.
     *
     * @param length bytes, from 1 to {@link #MAX_LENGTH}.
     * @return the region; its {@link #path()} is null and {@link #delete()} does nothing.
     */
    public static MappedRegion allocateDirect(final long length)
    {
        checkLength(null, length);
        // page-aligned like a mapping, so layouts that hand addresses to the kernel (futex words) see the same alignment
        final ByteBuffer allocation = ByteBuffer.allocateDirect((int)length + 2 * PAGE_SIZE);
        return new MappedRegion(null, allocation, allocation.alignedSlice(PAGE_SIZE).slice(0, (int)length));
    }

    /**
     * Map an existing file in full, read-write.
     *
     * @param path file to map.
     * @return the mapped region.
     * @throws IllegalStateException if the file is missing, empty or larger than one mapping can hold.
     * @throws UncheckedIOException  on any other I/O failure.
     */
    public static MappedRegion open(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = channel.size();
            if (length <= 0 || length > MAX_LENGTH)
            {
                throw new IllegalStateException(
                    "file length out of range 1.." + MAX_LENGTH + ": path=" + path + " length=" + length);
            }
            return new MappedRegion(path, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no such file: path=" + path, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map file: path=" + path, ex);
        }
    }

    /**
     * Map every page of {@code [offset, offset + length)} into this process now, by reading one byte per
     * page, so the first pass over a ring does not take a page fault per 4 KiB on the hot path.
     *
     * @param offset start of the range.
     * @param length bytes of the range.
     */
    public void prefault(final int offset, final int length)
    {
        int sum = 0;
        for (int i = offset; i < offset + length; i += PAGE_SIZE)
        {
            sum += buffer.getByte(i);
        }
        if (sum == Integer.MIN_VALUE)
        {
            // never true for a fresh region; the branch keeps the JIT from dropping the reads
            Thread.onSpinWait();
        }
    }

    /**
     * Allocate every page of the new file now (tmpfs hands out a page at its first write), as a
     * sparse file would make the first lap of a ring pay for page allocation and zeroing.
     */
    private static void writeZeros(final FileChannel channel, final long length) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int)Math.min(length, 1 << 20));
        long position = 0;
        while (position < length)
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
            position += channel.write(zeros, position);
        }
    }

    /**
     * @return the mapped file, or null for a region made by {@link #allocateDirect}.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return bytes mapped: the file length when it was mapped.
     */
    public int length()
    {
        return buffer.capacity();
    }

    /**
     * @return the whole mapping; indices are offsets in the file.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the virtual address of offset 0 in this process.
     */
    public long address()
    {
        return buffer.addressOffset();
    }

    /**
     * @return true once {@link #close()} has run.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmap (or, for {@link #allocateDirect}, free). The caller must make sure no thread still reads the
     * region: a later access would crash the JVM.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(owner); // frees a direct allocation now too, rather than whenever the GC gets to it
        }
    }

    /**
     * Remove the file. Processes that have it mapped keep their mapping until they close it.
     *
     * @return true if this call deleted it.
     */
    public boolean delete()
    {
        if (path == null)
        {
            return false;
        }
        try
        {
            return Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete: path=" + path, ex);
        }
    }

    private static void checkLength(final Path path, final long length)
    {
        if (length <= 0 || length > MAX_LENGTH)
        {
            throw new IllegalArgumentException(
                "region length out of range 1.." + MAX_LENGTH + ": length=" + length + " path=" + path);
        }
    }

    private static FileAttribute<?>[] ownerOnlyAttributes(final Path path)
    {
        final Path dir = path.toAbsolutePath().getParent();
        final boolean posix = dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ?
            new FileAttribute<?>[]{ PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE) } :
            new FileAttribute<?>[0];
    }
}
