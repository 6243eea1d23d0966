package io.shmring.bench.harness;

import java.util.List;

/**
 * Every peer of the fan-out table, by name, in table order (the Agrona baseline last).
 */
final class FanOutPeers
{
    private static final PeerList<FanOutPeer> ALL = new PeerList<>("fan-out peer", List.of(
        new ShmBroadcastFanOut(true),
        new ShmBroadcastFanOut(false),
        new ShmSpscPerConsumerFanOut(),
        new AgronaBroadcastFanOut()));

    private FanOutPeers()
    {
    }

    /**
     * @return every peer, in table order.
     */
    static List<FanOutPeer> all()
    {
        return ALL.all();
    }

    /**
     * @param name a peer's name.
     * @return the peer.
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    static FanOutPeer byName(final String name)
    {
        return ALL.byName(name);
    }
}
