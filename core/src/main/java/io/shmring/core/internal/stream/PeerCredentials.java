package io.shmring.core.internal.stream;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The kernel-reported user of the process at the other end of a Unix socket ({@code SO_PEERCRED}, read
 * through {@link ExtendedSocketOptions#SO_PEERCRED}): for an accepted connection the connecting process,
 * for a connected one the process that listens.
 * <p>
 * The JDK reports the peer as a {@link UserPrincipal}; principals the JDK looks up by number compare
 * equal by uid, so uids are compared as principals looked up from their numbers.
 */
final class PeerCredentials
{
    private PeerCredentials()
    {
    }

    /**
     * @param channel a connected Unix socket.
     * @return the user at the other end.
     * @throws IOException if the kernel cannot tell.
     */
    static UserPrincipal peerUser(final SocketChannel channel) throws IOException
    {
        final UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user();
    }

    /**
     * @param user a user the JDK reports.
     * @return how messages name it: {@code name(uid)} ({@link UserNames}).
     */
    static String describe(final UserPrincipal user)
    {
        return UserNames.describe(user);
    }

    /**
     * Look this process's user up now, while descriptors are free, so that naming it later never needs one.
     *
     * @return {@code name(uid)} of this process's effective user.
     */
    static String describeCurrentUser()
    {
        return UserNames.describeCurrentUser();
    }

    /**
     * @param uids user ids.
     * @return principals equal to the users of those ids.
     * @throws UncheckedIOException if one cannot be looked up.
     */
    static Set<UserPrincipal> principals(final Collection<Long> uids)
    {
        final UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        final Set<UserPrincipal> principals = new HashSet<>();
        for (final long uid : uids)
        {
            try
            {
                principals.add(lookup.lookupPrincipalByName(Long.toString(uid)));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot look up uid=" + uid, ex);
            }
        }
        return principals;
    }
}
