package io.shmring.core.internal.stream;

import io.shmring.core.FileAccess;
import io.shmring.core.UntrustedPeerException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Binds and connects Unix domain stream sockets at a path, refusing files and listeners of users the
 * URI does not trust.
 * <p>
 * The socket file must never be reachable with looser permissions than it ends with, even for an
 * instant, yet {@code bind} creates it with the umask's mode. So the server binds in a fresh directory
 * of mode 0700 beside the target, gives the file its group and mode there ({@link FileAccess#restrict}:
 * 0600, or 0660 and the shared group), and renames it onto the target (connections follow the inode,
 * so the rename keeps it listening). A file already at the target must pass {@link FileAccess}; then a
 * socket left by a dead subscriber (connect refused) is replaced, and a live one is an error.
 * <p>
 * A publisher checks the socket file with {@link FileAccess} before connecting, then the listening
 * process's user ({@link PeerCredentials}) after: it must be this user, one of {@code allowUid}, or,
 * when the URI shares the file with a group, the owner of the file that passed the group check. Only
 * then does it wait for the subscriber's {@link StreamHello}.
 */
final class UdsServer
{
    private UdsServer()
    {
    }

    /**
     * @param path       the socket file to create.
     * @param allowedGid the group to share it with (mode 0660), or null for owner only (0600).
     * @return a server socket listening there, blocking.
     * @throws IllegalStateException                if a live subscriber or a non-socket file is at the path.
     * @throws io.shmring.core.InsecureFileException if a file at the path, or a directory above, is refused.
     */
    static ServerSocketChannel bind(final Path path, final Integer allowedGid)
    {
        FileAccess.checkDirectories(path, allowedGid);
        removeStale(path, allowedGid);
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
            FileAccess.restrict(bound, allowedGid);
            Files.move(bound, absolute, StandardCopyOption.ATOMIC_MOVE);
            return server;
        }
        catch (final IOException | RuntimeException ex)
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
            if (ex instanceof RuntimeException)
            {
                throw (RuntimeException)ex;
            }
            throw new UncheckedIOException("cannot bind Unix socket: path=" + path, (IOException)ex);
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
     * Connect as a publisher: check the file, connect, check the listener, wait for its hello.
     *
     * @param path            a socket file.
     * @param allowedUids     uids besides this user's whose socket and listener are trusted.
     * @param allowedGid      the group the URI shares the file with, or null.
     * @param acceptTimeoutNs longest wait for the subscriber's hello.
     * @param name            the endpoint, for messages.
     * @return a connected blocking channel the subscriber accepted, or null if no subscriber listens there yet.
     * @throws IOException                           on any other failure (e.g. permission denied).
     * @throws io.shmring.core.InsecureFileException if the socket file is refused.
     * @throws UntrustedPeerException                if the listening process runs as an untrusted user.
     * @throws io.shmring.core.PeerRefusedException  if the subscriber refuses or does not answer in time.
     */
    static SocketChannel tryConnect(
        final Path path, final List<Long> allowedUids, final Integer allowedGid, final long acceptTimeoutNs,
        final String name) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return null;
        }
        final long owner;
        try
        {
            owner = FileAccess.checkOwnerAndMode(path, allowedGid, allowedUids);
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof NoSuchFileException)
            {
                return null; // removed since: not there yet
            }
            throw ex;
        }
        final SocketChannel channel = connect(path);
        if (channel == null)
        {
            return null;
        }
        try
        {
            checkListener(channel, path, allowedUids, allowedGid, owner);
            StreamHello.handshake(channel, acceptTimeoutNs, name);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static void checkListener(
        final SocketChannel channel, final Path path, final List<Long> allowedUids, final Integer allowedGid,
        final long fileOwner) throws IOException
    {
        final List<Long> trusted = new ArrayList<>(allowedUids);
        trusted.add(FileAccess.effectiveUid());
        if (allowedGid != null)
        {
            trusted.add(fileOwner); // passed the group check: made by a member of the group
        }
        final Set<UserPrincipal> trustedUsers = PeerCredentials.principals(trusted);
        final UserPrincipal listener = PeerCredentials.peerUser(channel);
        if (!trustedUsers.contains(listener))
        {
            throw new UntrustedPeerException("refusing to publish to " + path + ": the process listening there runs as " +
                "user " + PeerCredentials.describe(listener) + ", not one of uids " + trusted + " (allowUid=UID in the URI trusts another user)");
        }
    }

    /**
     * @return a connected blocking channel, or null if nobody listens (connect refused, or the file went away).
     */
    private static SocketChannel connect(final Path path) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        }
        catch (final ConnectException | NoSuchFileException ex)
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

    private static void removeStale(final Path path, final Integer allowedGid)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
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
        FileAccess.checkOwnerAndMode(path, allowedGid);
        try (SocketChannel probe = connect(path))
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
