package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-or-create of a ring file by any number of processes at once (docs/LAYOUT.md section 2.1): creation is
 * atomic (a complete file linked into place), the loser of a creation race opens the winner's file, and a file
 * that looks half made is waited for, re-mapped each time, or reclaimed when its creator is provably gone. An existing
 * file is opened, waited for or reclaimed only once it passed the owner and mode checks of {@link RingFile#open}.
 */
final class RingFileOpener
{
    /** A half-made file untouched this long, whose creation lock nobody holds, was abandoned by a dead creator. */
    static final long ABANDONED_AFTER_MS = 1_000;

    private static final long RETRY_PARK_NS = 1_000_000;

    private RingFileOpener()
    {
    }

    static RingFile openOrCreate(final Path path, final RingConfig config, final Integer sharedGroup, final long timeoutNs)
    {
        FrameDescriptor.checkNativeByteOrder();
        final long deadline = System.nanoTime() + Math.max(0, timeoutNs);
        while (true)
        {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                try
                {
                    return RingFile.open(path, null, sharedGroup); // checks its owner and mode first
                }
                catch (final InvalidRingFileException ex)
                {
                    if (!ex.mayBeInitialising())
                    {
                        throw ex;
                    }
                    if (reclaimIfAbandoned(path))
                    {
                        continue; // deleted: create it below
                    }
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw ex; // says what it saw: too short, magic zero, or shorter than its header
                    }
                    LockSupport.parkNanos(RETRY_PARK_NS);
                    continue;
                }
                catch (final IllegalStateException ex)
                {
                    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                    {
                        continue; // deleted between the check and the open: create it
                    }
                    throw ex;
                }
            }
            try
            {
                return RingFile.create(path, config, sharedGroup);
            }
            catch (final IllegalStateException ex)
            {
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                {
                    throw ex;
                }
                // another process linked its ring first: open theirs
            }
        }
    }

    /**
     * A file at the path that is not (yet) a ring: delete it if its creator is provably gone — nobody holds the
     * creation lock that an in-place creator holds until it publishes the magic, and the file has not changed for
     * {@link #ABANDONED_AFTER_MS}. The deletion happens while this process holds that lock, after checking that the
     * path still names the same file and that it still has no magic.
     *
     * @return true if it was deleted.
     */
    static boolean reclaimIfAbandoned(final Path path)
    {
        try
        {
            final BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile() ||
                System.currentTimeMillis() - before.lastModifiedTime().toMillis() < ABANDONED_AFTER_MS)
            {
                return false;
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = tryLock(channel))
            {
                if (lock == null)
                {
                    return false; // its creator holds the lock: alive
                }
                final BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!after.fileKey().equals(before.fileKey()) ||
                    !after.lastModifiedTime().equals(before.lastModifiedTime()) || hasMagic(channel))
                {
                    return false;
                }
                Files.delete(path);
                return true;
            }
        }
        catch (final NoSuchFileException ex)
        {
            return true; // gone already: create it
        }
        catch (final IOException ex)
        {
            return false; // cannot tell (permissions): leave it to the caller's timeout and its message
        }
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null; // this JVM holds it: a creator here is alive
        }
    }

    private static boolean hasMagic(final FileChannel channel) throws IOException
    {
        if (channel.size() < Long.BYTES)
        {
            return false;
        }
        final ByteBuffer magic = ByteBuffer.allocate(Long.BYTES).order(FrameDescriptor.BYTE_ORDER);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0)
        {
            // read the 8 bytes at offset 0
        }
        return magic.flip().remaining() == Long.BYTES && magic.getLong() != 0;
    }
}
