package io.shmring.core.internal.stream;

import com.sun.jna.Native;
import io.shmring.core.FileAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Makes and opens named pipes (FIFOs) without either side blocking on open.
 * <p>
 * A plain {@code open} of a FIFO blocks until the other end opens, so a thread making both ends, or
 * two processes each waiting for the other, could hang. Here neither side waits:
 * <ul>
 * <li>the reader opens {@code O_RDONLY|O_NONBLOCK}, which Linux completes at once with or without a
 * writer, and stays non-blocking (reads answer EAGAIN; {@code take} sleeps in {@code poll(2)});</li>
 * <li>the writer opens {@code O_WRONLY|O_NONBLOCK}, which fails with ENXIO while there is no reader:
 * that means "not yet", and the publisher tries again on a later offer. Once open, the descriptor is
 * switched to blocking so a full pipe blocks the writer instead of failing.</li>
 * </ul>
 * The reader is not opened {@code O_RDWR} (which also never blocks) because then it would hold a
 * write end itself and never see the end of the stream.
 */
final class Fifo
{
    private static final int MODE_0600 = 0600;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private Fifo()
    {
    }

    /**
     * Make the FIFO, mode 0600 (or 0660 and the shared group), unless it exists already (EEXIST: someone
     * else made it first); an existing one is used only if it passes {@link FileAccess}.
     *
     * @param path       the FIFO.
     * @param allowedGid the group the URI shares it with, or null for owner only.
     * @return true if this call made it.
     * @throws IllegalStateException                 if something other than a FIFO is there.
     * @throws io.shmring.core.InsecureFileException if a directory above the path, or an existing FIFO, is refused.
     */
    static boolean ensureExists(final Path path, final Integer allowedGid)
    {
        FileAccess.checkDirectories(path, allowedGid);
        if (Posix.mkfifo(path.toString(), MODE_0600) == 0)
        {
            FileAccess.restrict(path, allowedGid); // mkfifo applied the umask: 0600 or less until now
            return true;
        }
        final int errno = Native.getLastError();
        if (errno != Posix.EEXIST)
        {
            throw new IllegalStateException(Posix.describeLastError("mkfifo " + path));
        }
        final int mode;
        try
        {
            mode = (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot stat FIFO: path=" + path, ex);
        }
        if ((mode & S_IFMT) != S_IFIFO)
        {
            throw new IllegalStateException("path exists and is not a FIFO: path=" + path);
        }
        FileAccess.checkOwnerAndMode(path, allowedGid);
        return false;
    }

    /**
     * @param path an existing FIFO.
     * @return its read end, non-blocking; never waits for a writer.
     */
    static FdChannel openReader(final Path path)
    {
        final int fd = Posix.open(path.toString(), Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IllegalStateException(Posix.describeLastError("open FIFO for reading " + path));
        }
        return new FdChannel(fd, "fifo:" + path, FdChannel.ReadMode.FIFO_READER, true);
    }

    /**
     * @param path a FIFO.
     * @return its write end, blocking, or null if no reader has it open yet (or it is gone).
     * @throws IOException if open fails otherwise.
     */
    static FdChannel tryOpenWriter(final Path path) throws IOException
    {
        final int fd = Posix.open(path.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
        if (fd < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Posix.ENXIO || errno == Posix.ENOENT)
            {
                return null;
            }
            throw new IOException(Posix.describeLastError("open FIFO for writing " + path));
        }
        final int flags = Posix.fcntl(fd, Posix.F_GETFL, 0);
        if (flags < 0 || Posix.fcntl(fd, Posix.F_SETFL, flags & ~Posix.O_NONBLOCK) < 0)
        {
            final String message = Posix.describeLastError("fcntl FIFO " + path);
            Posix.close(fd);
            throw new IOException(message);
        }
        return new FdChannel(fd, "fifo:" + path, FdChannel.ReadMode.NON_BLOCKING, true);
    }
}
