package io.shmring.core.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Binds and connects Unix domain stream sockets at a path.
 * <p>
 * The socket file must never be reachable with looser permissions than 0600, even for an instant, yet
 * {@code bind} creates it with the umask's mode. So the server binds in a fresh directory of mode 0700
 * beside the target, sets the file to 0600 there, and renames it onto the target (connections follow
 * the inode, so the rename keeps it listening). A socket file left at the target by a dead subscriber
 * (connect refused) is replaced; a live one is an error.
 */
final class UdsServer
{
    private UdsServer()
    {
    }

    /**
     * @param path the socket file to create.
     * @return a server socket listening there, file mode 0600.
     * @throws IllegalStateException if a live subscriber or a non-socket file is at the path.
     */
    static ServerSocketChannel bind(final Path path)
    {
        removeStale(path);
        final Path absolute = path.toAbsolutePath();
        Path privateDir = null;
        ServerSocketChannel server = null;
        try
        {
            privateDir = Files.createTempDirectory(absolute.getParent(), ".uds",
                PosixFilePermissions.asFileAttribute(EnumSet.of(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
            final Path bound = privateDir.resolve("s");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            Files.move(bound, absolute, StandardCopyOption.ATOMIC_MOVE);
            return server;
        }
        catch (final IOException ex)
        {
            if (server != null)
            {
                try
                {
                    server.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot bind Unix socket: path=" + path, ex);
        }
        finally
        {
            if (privateDir != null)
            {
                try
                {
                    Files.deleteIfExists(privateDir.resolve("s"));
                    Files.deleteIfExists(privateDir);
                }
                catch (final IOException ignore)
                {
                    // a leftover empty private directory is harmless and reported nowhere else
                }
            }
        }
    }

    /**
     * @param path a socket file.
     * @return a connected blocking channel, or null if no subscriber listens there yet.
     * @throws IOException on any other failure (e.g. permission denied).
     */
    static SocketChannel tryConnect(final Path path) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return null;
        }
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        }
        catch (final ConnectException ex)
        {
            channel.close();
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static void removeStale(final Path path)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            return;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot stat: path=" + path, ex);
        }
        if (!attributes.isOther())
        {
            throw new IllegalStateException("path exists and is not a socket: path=" + path);
        }
        try (SocketChannel probe = tryConnect(path))
        {
            if (probe != null)
            {
                throw new IllegalStateException("a subscriber already listens on this socket: path=" + path);
            }
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot probe stale socket: path=" + path, ex);
        }
    }
}
