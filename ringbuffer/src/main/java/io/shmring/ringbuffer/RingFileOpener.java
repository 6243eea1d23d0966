package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.NotFoundException;
import io.shmring.core.AlreadyExistsException;
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
        boolean reopenedPublished = false;
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
                    final HalfMade state = judgeHalfMade(path);
                    if (state == HalfMade.RECLAIMED)
                    {
                        continue; // deleted: create it below
                    }
                    if (state == HalfMade.USED_RING)
                    {
                        throw new InvalidRingFileException(path, "magic is 0, yet its head, tail or stream word is not: a " +
                            "ring that was used and then damaged, not a half-made file; refused, not replaced (" +
                            usedRingFields(path) + ")");
                    }
                    if (state == HalfMade.NOT_BEING_CREATED)
                    {
                        if (reopenedPublished)
                        {
                            throw ex; // its magic is published and nobody holds the creation lock: truncated or damaged
                        }
                        reopenedPublished = true; // its creator may have published it since our open: open it once more
                        continue;
                    }
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw ex; // says what it saw: too short, magic zero, or shorter than its header
                    }
                    LockSupport.parkNanos(RETRY_PARK_NS);
                    continue;
                }
                catch (final NotFoundException ex)
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
            catch (final AlreadyExistsException ex)
            {
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                {
                    throw ex;
                }
                // another process linked its ring first: open theirs
            }
        }
    }

    /** What a file at the path that is not (yet) a ring turned out to be. */
    enum HalfMade
    {
        /** An in-place creator holds its creation lock, its magic is zero and it changed recently, or we cannot tell. */
        MAY_BE_CREATED,
        /** Its magic is published (or it is not ours) and nobody holds the creation lock: it will not change. */
        NOT_BEING_CREATED,
        /** Magic zero, unlocked and unchanged for {@link #ABANDONED_AFTER_MS}: its creator died; deleted now. */
        RECLAIMED,
        /**
         * Magic zero, yet its head, tail or stream word is not: a ring that was used and had its magic wiped, not a
         * half-made one (a creator writes the magic last, over a control block of zeros). Never deleted: its unread
         * messages would go without a word.
         */
        USED_RING
    }

    /**
     * Judge a file at the path that is not (yet) a ring (too short, magic zero, shorter than its header): only a
     * creator that holds the creation lock (an in-place creator holds it until it publishes the magic), or a file
     * with magic zero changed within {@link #ABANDONED_AFTER_MS} (a creator between creating and locking it), may
     * still become a ring. A file with magic zero, unlocked and unchanged that long was abandoned by a dead creator
     * and is deleted — while this process holds that lock, after checking that the path still names the same file
     * and that it still has no magic.
     *
     * @return what it is; {@link HalfMade#RECLAIMED} also if it vanished meanwhile.
     */
    static HalfMade judgeHalfMade(final Path path)
    {
        try
        {
            final BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile())
            {
                return HalfMade.MAY_BE_CREATED; // a symbolic link to one: judged by the open's own retry
            }
            final boolean recent = System.currentTimeMillis() - before.lastModifiedTime().toMillis() < ABANDONED_AFTER_MS;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = tryLock(channel))
            {
                if (lock == null)
                {
                    return HalfMade.MAY_BE_CREATED; // its creator holds the lock: alive, still writing it
                }
                if (hasMagic(channel))
                {
                    return HalfMade.NOT_BEING_CREATED; // published, and no creator at work: truncated, or not a ring
                }
                final BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (recent || !after.fileKey().equals(before.fileKey()) ||
                    !after.lastModifiedTime().equals(before.lastModifiedTime()))
                {
                    return HalfMade.MAY_BE_CREATED;
                }
                if (!usedRingFields(channel).isEmpty())
                {
                    return HalfMade.USED_RING;
                }
                Files.delete(path);
                return HalfMade.RECLAIMED;
            }
        }
        catch (final NoSuchFileException ex)
        {
            return HalfMade.RECLAIMED; // gone already: create it
        }
        catch (final IOException ex)
        {
            return HalfMade.MAY_BE_CREATED; // cannot tell (permissions): leave it to the caller's timeout and its message
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

    /**
     * @return "head=.. tail=.. stream=.." for those of a file's head, tail and stream word that are not zero (none if
     *         the file is too short to hold them), or "" if all are zero or the file cannot be read.
     */
    private static String usedRingFields(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            return usedRingFields(channel);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String usedRingFields(final FileChannel channel) throws IOException
    {
        final StringBuilder fields = new StringBuilder();
        appendIfNotZero(fields, "head", readLong(channel, RingDescriptor.HEAD_OFFSET));
        appendIfNotZero(fields, "tail", readLong(channel, RingDescriptor.TAIL_OFFSET));
        appendIfNotZero(fields, "stream", readLong(channel, RingDescriptor.STREAM_OFFSET));
        return fields.toString();
    }

    private static void appendIfNotZero(final StringBuilder fields, final String name, final long value)
    {
        if (value != 0)
        {
            fields.append(fields.length() == 0 ? "" : " ").append(name).append('=').append(value);
        }
    }

    /**
     * @return the little-endian int64 at that file offset, or 0 if the file ends before it.
     */
    private static long readLong(final FileChannel channel, final long offset) throws IOException
    {
        if (channel.size() < offset + Long.BYTES)
        {
            return 0;
        }
        final ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(FrameDescriptor.BYTE_ORDER);
        while (word.hasRemaining() && channel.read(word, offset + word.position()) >= 0)
        {
            // read the 8 bytes at the offset
        }
        return word.flip().remaining() == Long.BYTES ? word.getLong() : 0;
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
