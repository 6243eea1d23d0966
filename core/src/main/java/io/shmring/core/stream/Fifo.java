package io.shmring.core.stream;

import com.sun.jna.Native;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;

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

    private Fifo()
    {
    }

    /**
     * Make the FIFO, mode 0600, unless it exists already (EEXIST: someone else made it first).
     *
     * @param path the FIFO.
     * @return true if this call made it.
     * @throws IllegalStateException if something other than a FIFO is there.
     */
    static boolean ensureExists(final Path path)
    {
        if (Posix.mkfifo(path.toString(), MODE_0600) == 0)
        {
            try
            {
                // mkfifo applies the umask; the mode must be exactly owner read-write
                Files.setPosixFilePermissions(path, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot chmod 0600 FIFO: path=" + path, ex);
            }
            return true;
        }
        final int errno = Native.getLastError();
        if (errno != Posix.EEXIST)
        {
            throw new IllegalStateException(Posix.describeLastError("mkfifo " + path));
        }
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot stat FIFO: path=" + path, ex);
        }
        if (!attributes.isOther())
        {
            throw new IllegalStateException("path exists and is not a FIFO: path=" + path);
        }
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
