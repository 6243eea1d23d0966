package io.shmring.bench.harness;

import java.util.List;

/**
 * The peers of one mode in table order, found by name (a child JVM is told its peer's name).
 *
 * @param <P>  the mode's peer type.
 * @param what the mode's name for a peer, for messages, e.g. {@code fan-out peer}.
 * @param all  every peer, in table order.
 */
record PeerList<P extends NamedPeer>(String what, List<P> all)
{
    /**
     * @param name a peer's name.
     * @return the peer.
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    P byName(final String name)
    {
        for (final P peer : all)
        {
            if (peer.name().equals(name))
            {
                return peer;
            }
        }
        throw new IllegalArgumentException("unknown " + what + ": peer=" + name + " (accepted: " +
            String.join(", ", all.stream().map(NamedPeer::name).toList()) + ")");
    }
}
