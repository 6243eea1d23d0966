package io.shmring.core.internal.stream;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Set;

/**
 * Admits a Unix socket peer only if the kernel-reported uid of the connecting process
 * ({@link PeerCredentials}) is on an allow-list.
 */
final class UidFilter implements SocketSubscriber.PeerFilter
{
    private final List<Long> allowedUids;
    private final Set<UserPrincipal> allowed;

    /**
     * @param allowedUids uids that may publish.
     */
    UidFilter(final List<Long> allowedUids)
    {
        this.allowedUids = List.copyOf(allowedUids);
        this.allowed = PeerCredentials.principals(allowedUids);
    }

    @Override
    public String refusal(final SocketChannel channel) throws IOException
    {
        final UserPrincipal peer = PeerCredentials.peerUser(channel);
        if (allowed.contains(peer))
        {
            return null;
        }
        return "peer user " + PeerCredentials.describe(peer) + " not in allowUid=" + allowedUids;
    }
}
