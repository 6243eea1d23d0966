package io.shmring.core.stream;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Admits a Unix socket peer only if the kernel-reported uid of the connecting process
 * ({@code SO_PEERCRED}, read through {@link ExtendedSocketOptions#SO_PEERCRED}) is on an allow-list.
 * <p>
 * The JDK reports the peer as a {@link UserPrincipal}; principals the JDK looks up by number compare
 * equal by uid, so the allow-list is kept as principals looked up from the numbers given.
 */
final class UidFilter implements SocketSubscriber.PeerFilter
{
    private final List<Long> allowedUids;
    private final Set<UserPrincipal> allowed = new HashSet<>();

    /**
     * @param allowedUids uids that may publish.
     */
    UidFilter(final List<Long> allowedUids)
    {
        this.allowedUids = List.copyOf(allowedUids);
        final UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        for (final long uid : allowedUids)
        {
            try
            {
                allowed.add(lookup.lookupPrincipalByName(Long.toString(uid)));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot look up uid=" + uid, ex);
            }
        }
    }

    @Override
    public String refusal(final SocketChannel channel) throws IOException
    {
        final UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (allowed.contains(peer.user()))
        {
            return null;
        }
        return "peer user " + peer.user().getName() + " not in allowUid=" + allowedUids;
    }
}
