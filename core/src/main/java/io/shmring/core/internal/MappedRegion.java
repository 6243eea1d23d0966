package io.shmring.core.internal;

import io.shmring.core.AlreadyExistsException;
import io.shmring.core.NotFoundException;
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
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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

    /** Ending of the temporary names {@link #createToPublish} uses. */
    public static final String TEMPORARY_SUFFIX = CreationTemporaries.SUFFIX;

    /** Largest region one mapping can hold: a Java buffer is int-indexed (and direct regions need room to align). */
    public static final long MAX_LENGTH = Integer.MAX_VALUE - 3L * PAGE_SIZE;

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** Attempts at mapping a file whose path keeps naming other files while we open it. */
    private static final int OPEN_ATTEMPTS = 16;

    private volatile Path path;
    /** (device, inode) of the mapped file, as the JDK's file key; null for direct memory. */
    private final Object fileKey;
    /** What close releases: the file mapping, or the whole direct allocation the aligned region was cut from. */
    private final ByteBuffer owner;
    private final ByteBuffer region;
    private final UnsafeBuffer buffer;
    private boolean closed;
    private Path publishTarget;
    /** The descriptor holding the creation lock of an unpublished temporary file, else null. */
    private FileChannel creationLock;

    private MappedRegion(final Path path, final Object fileKey, final ByteBuffer owner, final ByteBuffer region)
    {
        this.path = path;
        this.fileKey = fileKey;
        this.owner = owner;
        this.region = region;
        this.buffer = new UnsafeBuffer(region);
    }

    /**
     * Create a new zero-filled file of {@code length} bytes, readable and writable by its owner only
     * (mode 0600 where the file system has POSIX permissions), and map it. If any step fails the file is
     * deleted again.
     *
     * @param path   file to create; it must not exist.
     * @param length bytes, from 1 to {@link #MAX_LENGTH}.
     * @return the mapped region.
     * @throws IllegalArgumentException if the length is out of range.
     * @throws AlreadyExistsException  if the file already exists.
     * @throws UncheckedIOException     on any other I/O failure (such as ENOSPC), after deleting the file.
     */
    public static MappedRegion create(final Path path, final long length)
    {
        return create(path, length, false);
    }

    /**
     * @param holdCreationLock true to take an exclusive fcntl lock on the new file at once and keep it (and the
     *                         descriptor) until {@link #publish()} or {@link #close()}: the sign, for
     *                         {@link CreationTemporaries}, that its creator lives.
     */
    private static MappedRegion create(final Path path, final long length, final boolean holdCreationLock)
    {
        checkLength(path, length);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(
                path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                ownerOnlyAttributes(path));
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new AlreadyExistsException(path, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create mapped file: path=" + path + " length=" + length, ex);
        }
        try
        {
            if (holdCreationLock)
            {
                channel.lock(); // blocks only while a reclaimer probes it; released when the channel closes, or we die
            }
            writeZeros(channel, length);
            final ByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            final MappedRegion region = new MappedRegion(path, fileKey(path), mapping, mapping);
            region.prefault(0, region.length());
            if (holdCreationLock)
            {
                region.creationLock = channel;
            }
            else
            {
                channel.close();
            }
            return region;
        }
        catch (final IOException ex)
        {
            deleteQuietly(path, ex);
            closeQuietly(channel, ex);
            throw new UncheckedIOException("cannot create mapped file: path=" + path + " length=" + length, ex);
        }
        catch (final RuntimeException | Error ex)
        {
            deleteQuietly(path, ex);
            closeQuietly(channel, ex);
            throw ex;
        }
    }

    /**
     * Create and map a new file under a temporary name next to {@code path}, to be initialised and then published
     * at {@code path} in one atomic step by {@link #publish()}: nobody opening {@code path} ever sees it half made,
     * and a creator that dies before publishing leaves nothing at {@code path}. The temporary name is
     * {@code .<name>.<pid>.<hex>.creating} in the same directory; this process holds an exclusive fcntl lock on it
     * until it is published or closed. If any step fails it is deleted again. Temporary files of the same name left
     * by creators that died ({@link CreationTemporaries#removeAbandoned}) are deleted first.
     *
     * @param path   where the file will be published; it may exist now ({@link #publish()} then fails).
     * @param length bytes, from 1 to {@link #MAX_LENGTH}.
     * @return the mapped region; {@link #path()} is the temporary name until published.
     * @throws IllegalArgumentException if the length is out of range.
     * @throws UncheckedIOException     on an I/O failure (such as ENOSPC: the message names {@code path}), after
     *                                  deleting the temporary file.
     */
    public static MappedRegion createToPublish(final Path path, final long length)
    {
        final Path absolute = path.toAbsolutePath();
        checkLength(absolute, length);
        if (absolute.getParent() != null)
        {
            CreationTemporaries.removeAbandoned(absolute.getParent(), absolute.getFileName().toString());
        }
        final Path temporary = CreationTemporaries.temporaryFor(absolute);
        final MappedRegion region;
        try
        {
            region = create(temporary, length, true);
        }
        catch (final UncheckedIOException ex)
        {
            throw new UncheckedIOException("cannot create " + absolute + " (written first as " + temporary.getFileName() +
                "): length=" + length + ": " + ex.getCause(), ex.getCause());
        }
        region.publishTarget = absolute;
        return region;
    }

    /**
     * Publish a region made by {@link #createToPublish} at its path: {@code link(2)} the temporary file there (which
     * fails if the path exists, replacing nothing), then remove the temporary name. The mapping stays valid.
     *
     * @throws AlreadyExistsException if the path already exists (the temporary file is deleted; close the region).
     * @throws IllegalStateException  if the region was not made by createToPublish, or is published.
     * @throws UncheckedIOException  on any other I/O failure (the temporary file is deleted).
     */
    public void publish()
    {
        final Path target = publishTarget;
        if (target == null)
        {
            throw new IllegalStateException("region was not made by createToPublish, or is published: path=" + path);
        }
        final Path temporary = path;
        try
        {
            Files.createLink(target, temporary);
        }
        catch (final FileAlreadyExistsException ex)
        {
            deleteQuietly(temporary, ex);
            releaseCreationLock();
            throw new AlreadyExistsException(target, ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteQuietly(temporary, ex);
            releaseCreationLock();
            throw new UncheckedIOException("cannot publish " + temporary + " as " + target,
                ex instanceof IOException ? (IOException)ex : new IOException(ex));
        }
        publishTarget = null;
        path = target;
        deleteQuietly(temporary, null);
        releaseCreationLock(); // only now: until the temporary name is gone, the lock tells reclaimers we live
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
        return new MappedRegion(null, null, allocation, allocation.alignedSlice(PAGE_SIZE).slice(0, (int)length));
    }

    /**
     * Map an existing file in full, read-write. The file's identity (device, inode) is recorded so that
     * {@link #isStillAtPath()} can tell later whether the path still names it; a path that names another file
     * after we opened it (replaced meanwhile) is opened again.
     *
     * @param path file to map.
     * @return the mapped region.
     * @throws NotFoundException     if the file is missing.
     * @throws IllegalStateException if the file is empty or larger than one mapping can hold.
     * @throws UncheckedIOException  on any other I/O failure.
     */
    public static MappedRegion open(final Path path)
    {
        return open(path, false);
    }

    /**
     * Map an existing file in full, read-only: for inspecting a file this process may only read. Any store through
     * the region's buffer faults (SIGSEGV, which kills the JVM), so a caller must never write through it; see
     * {@link #isReadOnly()}.
     *
     * @param path file to map.
     * @return the mapped region.
     * @throws NotFoundException     if the file is missing.
     * @throws IllegalStateException if the file is empty or larger than one mapping can hold.
     * @throws UncheckedIOException  on any other I/O failure (such as no read permission).
     */
    public static MappedRegion openReadOnly(final Path path)
    {
        return open(path, true);
    }

    private static MappedRegion open(final Path path, final boolean readOnly)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                final Object keyBefore = fileKey(path);
                final ByteBuffer mapping;
                try (FileChannel channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ) :
                    FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    final long length = channel.size();
                    if (length <= 0 || length > MAX_LENGTH)
                    {
                        throw new IllegalStateException(
                            "file length out of range 1.." + MAX_LENGTH + ": path=" + path + " length=" + length);
                    }
                    mapping = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, length);
                }
                final Object keyAfter = fileKey(path);
                if (keyBefore.equals(keyAfter) || attempt == OPEN_ATTEMPTS)
                {
                    // the same file before and after: the one we mapped (else, after many tries, report it as gone later)
                    return new MappedRegion(path, keyBefore, mapping, mapping);
                }
                IoUtil.unmap(mapping);
            }
            catch (final NoSuchFileException ex)
            {
                throw new NotFoundException(path, "file", ex);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot map file: path=" + path, ex);
            }
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
     * Does the path still name the file this region maps? False once it was deleted, or replaced by another file
     * (a rename over it, a delete and re-create). Costs a {@code stat}: not for hot paths.
     *
     * @return true if the path names the mapped file; always true for direct memory.
     * @throws UncheckedIOException if the path cannot be examined for another reason than its absence.
     */
    public boolean isStillAtPath()
    {
        if (fileKey == null)
        {
            return true;
        }
        try
        {
            return fileKey.equals(fileKey(path));
        }
        catch (final NoSuchFileException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot examine: path=" + path, ex);
        }
    }

    /**
     * Has the mapped file become shorter than the mapping (truncated by another process)? Touching a page past its new
     * end raises SIGBUS, which kills the JVM inside native code and atomic instructions: callers that can wait (close,
     * the heartbeat timer) ask first. A stat: not for hot paths.
     *
     * @return true if the path still names the mapped file and it is shorter than {@link #length()}; false for direct
     *         memory, and when the path cannot be examined or names another file.
     */
    public boolean isShorterThanMapped()
    {
        return examinePath() == PathState.SHRANK; // gone, or cannot be examined: nothing says it shrank
    }

    /**
     * What one {@code stat} of the path says about the mapped file: both {@link #isShorterThanMapped()} and (but for
     * the cause of a failure) {@link #isStillAtPath()} in one system call, for a caller that needs both at once (a
     * heartbeat). A stat: not for hot paths.
     *
     * @return the state; {@link PathState#WHOLE} for direct memory.
     */
    public PathState examinePath()
    {
        if (fileKey == null)
        {
            return PathState.WHOLE;
        }
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            final Object key = attributes.fileKey() != null ? attributes.fileKey() : path.toRealPath();
            if (!fileKey.equals(key))
            {
                return PathState.NOT_AT_PATH;
            }
            return attributes.size() < length() ? PathState.SHRANK : PathState.WHOLE;
        }
        catch (final NoSuchFileException ex)
        {
            return PathState.NOT_AT_PATH;
        }
        catch (final IOException ex)
        {
            return PathState.UNKNOWN;
        }
    }

    /**
     * What a {@code stat} of a mapped file's path found ({@link #examinePath()}).
     */
    public enum PathState
    {
        /** The path names the mapped file, at least as long as the mapping (or the region is direct memory). */
        WHOLE,
        /** The path names the mapped file, now shorter than the mapping (truncated by another process). */
        SHRANK,
        /** The path names no file, or another file (deleted, or replaced). */
        NOT_AT_PATH,
        /** The path could not be examined now (e.g. a permission change on its directory). */
        UNKNOWN
    }

    /**
     * A view of part of the region that keeps the mapping reachable: while any such view (or {@link #buffer()}) is
     * reachable, the garbage collector does not unmap the region, so a region closed by {@link #release()} stays
     * safe to touch through it.
     *
     * @param offset start of the view.
     * @param length bytes of the view.
     * @return the view.
     */
    public UnsafeBuffer slice(final int offset, final int length)
    {
        return new UnsafeBuffer(region, offset, length);
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
     * @return true if the region was mapped by {@link #openReadOnly(Path)}: nothing may be stored through it.
     */
    public boolean isReadOnly()
    {
        return owner.isReadOnly();
    }

    /**
     * @return true once {@link #close()} or {@link #release()} has run.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmap (or, for {@link #allocateDirect}, free) now. The caller must make sure no thread still reads the
     * region: a later access would crash the JVM. Where that cannot be proved, use {@link #release()}.
     */
    @Override
    public void close()
    {
        releaseCreationLock();
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(owner); // frees a direct allocation now too, rather than whenever the GC gets to it
        }
    }

    /**
     * Close without unmapping now: the mapping is released by the garbage collector once neither this region's
     * buffers nor any {@link #slice} of it is reachable. For regions other threads may still be touching, where an
     * explicit unmap could crash the JVM. Idempotent; {@link #isClosed()} is true afterwards.
     */
    public void release()
    {
        releaseCreationLock();
        closed = true;
    }

    private void releaseCreationLock()
    {
        final FileChannel channel = creationLock;
        creationLock = null;
        closeQuietly(channel, null);
    }

    private static void closeQuietly(final FileChannel channel, final Throwable failure)
    {
        if (channel == null)
        {
            return;
        }
        try
        {
            channel.close(); // releases its lock
        }
        catch (final IOException ex)
        {
            if (failure != null)
            {
                failure.addSuppressed(ex);
            }
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

    private static Object fileKey(final Path path) throws IOException
    {
        final Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return key != null ? key : path.toRealPath(); // a file system without keys: fall back to the resolved name
    }

    private static void deleteQuietly(final Path path, final Throwable failure)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (failure != null)
            {
                failure.addSuppressed(ex);
            }
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
