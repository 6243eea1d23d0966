package io.shmring.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary files {@link MappedRegion#createToPublish} writes a region under before linking it at its path
 * ({@code .<name>.<pid>.<hex>.creating}, docs/LAYOUT.md section 2.1), and the removal of those a creator
 * abandoned by dying (kill -9, power loss of the JVM) before it published or deleted them.
 * <p>
 * A creator holds an exclusive {@code fcntl} lock on its temporary file from right after creating it until it has
 * published or deleted it; the kernel drops the lock when the creator dies. A lock works across pid namespaces
 * (it belongs to the open file, which every process sharing the directory sees), a pid does not: so a temporary
 * file is judged abandoned by the lock alone, plus a grace period that covers the instant between its creation and
 * its locking. Thread-safe (stateless).
 */
public final class CreationTemporaries
{
    /** Ending of temporary names. */
    public static final String SUFFIX = ".creating";

    /** A temporary file unchanged this long whose lock nobody holds was abandoned (covers create-to-lock). */
    public static final long ABANDONED_AFTER_MS = 1_000;

    private CreationTemporaries()
    {
    }

    /**
     * @param target absolute path the region will be published at.
     * @return a fresh temporary name for it, in the same directory, naming this process: {@code .<name>.<pid>.<hex>.creating}
     *         with the pid in decimal and a random non-negative long in lowercase hex, no leading zeros (1 to 16 digits).
     */
    static Path temporaryFor(final Path target)
    {
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "." +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + SUFFIX);
    }

    /**
     * Delete the temporary files in {@code directory} that were abandoned by their creators: unchanged for
     * {@link #ABANDONED_AFTER_MS}, and no process holds their creation lock (a lock of our own succeeds). Each is
     * deleted while this call holds that lock, after checking that its name still names the same file. Files named
     * by this process's own pid are left alone: probing them would release a lock this process holds (fcntl locks
     * belong to a process, and closing any of its descriptors of the file drops them), so they are either in use
     * here or, at worst, left for another process to remove. Files this process may not open for writing are
     * left too. Does a directory listing and a few system calls per candidate: not for hot paths.
     *
     * @param directory  the directory to look in.
     * @param targetName only temporaries of this file name (the name the region was to be published as), or null
     *                   for every temporary name in the directory.
     * @return the temporary files this call deleted, possibly none.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<Path> removeAbandoned(final Path directory, final String targetName)
    {
        return scan(directory, targetName, true);
    }

    /**
     * The temporary files {@link #removeAbandoned} would delete now, judged the same way (age, creation lock, same
     * file), without deleting them: an operator's dry run. The lock is only probed, taken and released at once; a
     * creator locks its file right after creating it, well within the age a file must reach before it is probed, so
     * a probe never stands in a live creator's way. Same costs and exceptions.
     *
     * @param directory  the directory to look in.
     * @param targetName only temporaries of this file name, or null for every temporary name in the directory.
     * @return the abandoned temporary files, possibly none.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<Path> findAbandoned(final Path directory, final String targetName)
    {
        return scan(directory, targetName, false);
    }

    private static List<Path> scan(final Path directory, final String targetName, final boolean delete)
    {
        final List<Path> abandoned = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> isTemporary(entry, targetName)))
        {
            for (final Path candidate : entries)
            {
                if (judgeAbandoned(candidate, delete))
                {
                    abandoned.add(candidate);
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            return abandoned;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list directory: " + directory, ex);
        }
        abandoned.sort(null);
        return abandoned;
    }

    /**
     * @param file       a directory entry.
     * @param targetName the name it must be a temporary of, or null for any.
     * @return true if its name has the form {@code .<targetName>.<pid>.<hex>.creating} (pid: 1 to 18 ASCII decimal
     *         digits, not 0; hex: 1 to 16 ASCII hex digits of either case, docs/LAYOUT.md 2.1): a file being created, not
     *         yet a ring at a path (an operator's tool must leave it to {@link #removeAbandoned}).
     */
    public static boolean isTemporary(final Path file, final String targetName)
    {
        return creatorPid(file.getFileName().toString(), targetName) > 0;
    }

    /**
     * @return the pid in a temporary name of that target, or -1 if the name is not one.
     */
    static long creatorPid(final String fileName, final String targetName)
    {
        if (!fileName.startsWith(".") || !fileName.endsWith(SUFFIX))
        {
            return -1;
        }
        final String core = fileName.substring(1, fileName.length() - SUFFIX.length()); // <name>.<pid>.<hex>
        final int randomDot = core.lastIndexOf('.');
        final int pidDot = randomDot > 0 ? core.lastIndexOf('.', randomDot - 1) : -1;
        if (pidDot <= 0 || (targetName != null && !core.substring(0, pidDot).equals(targetName)) ||
            !isDigits(core, pidDot + 1, randomDot, 18) || !isHex(core, randomDot + 1, core.length()))
        {
            return -1;
        }
        return Long.parseLong(core, pidDot + 1, randomDot, 10);
    }

    private static boolean isDigits(final String text, final int from, final int to, final int maxDigits)
    {
        if (to <= from || to - from > maxDigits) // at most 18 digits: parses as a long
        {
            return false;
        }
        for (int i = from; i < to; i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(final String text, final int from, final int to)
    {
        if (to <= from || to - from > 16)
        {
            return false;
        }
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            // ASCII only: Character.digit would also take other scripts' digits and full-width letters
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param delete true to delete the file if it was abandoned (while holding its lock), false only to say so.
     * @return true if it was abandoned (and, with {@code delete}, is deleted now).
     */
    private static boolean judgeAbandoned(final Path candidate, final boolean delete)
    {
        if (creatorPid(candidate.getFileName().toString(), null) == ProcessHandle.current().pid())
        {
            return false; // ours, or judged by another process: see removeAbandoned
        }
        try
        {
            final BasicFileAttributes before = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile() ||
                System.currentTimeMillis() - before.lastModifiedTime().toMillis() < ABANDONED_AFTER_MS)
            {
                return false;
            }
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 FileLock lock = tryLock(channel))
            {
                if (lock == null)
                {
                    return false; // its creator holds the lock: alive, still writing it
                }
                final BasicFileAttributes after = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (before.fileKey() == null || !before.fileKey().equals(after.fileKey()))
                {
                    return false; // the name now names another file: not the one we judged
                }
                if (delete)
                {
                    Files.delete(candidate);
                }
                return true;
            }
        }
        catch (final IOException ex)
        {
            return false; // gone already, or not ours to open (permissions): leave it
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
            return null; // a channel of this JVM holds it
        }
    }
}
