package io.shmring.bench.harness;

import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.WakeProtocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every transport the point-to-point tables know, by its CSV name, in table order: the C floor first.
 */
public final class Peers
{
    /** The baseline every ratio is taken against. */
    public static final String BASELINE = "shmring-spsc";

    private static final Map<String, MeasuredPeer> ALL = new LinkedHashMap<>();

    static
    {
        add(new CPingPong(CPingPong.SPIN, false, null));
        add(new CPingPong(CPingPong.FUTEX, true, null));
        add(new ShmRingTransport(BASELINE, RingKind.SPSC, ShmRingTransport.Wait.SPIN));
        add(new ShmRingTransport("shmring-mpsc", RingKind.MPSC, ShmRingTransport.Wait.SPIN));
        add(new ShmRingTransport("shmring-spsc-futex", RingKind.SPSC, ShmRingTransport.Wait.FUTEX));
        add(new ShmRingTransport("shmring-spsc-adaptive", RingKind.SPSC, ShmRingTransport.Wait.ADAPTIVE));
        add(new ShmRingTransport("shmring-spsc-sleep", RingKind.SPSC, ShmRingTransport.Wait.SLEEP));
        add(new ShmRingTransport("shmring-spsc-semaphore", RingKind.SPSC, ShmRingTransport.Wait.SEMAPHORE));
        add(new ShmRingTransport("shmring-spsc-membarrier", RingKind.SPSC, ShmRingTransport.Wait.SPIN, WakeProtocol.MEMBARRIER));
        add(new ShmRingTransport("shmring-mpsc-membarrier", RingKind.MPSC, ShmRingTransport.Wait.SPIN, WakeProtocol.MEMBARRIER));
        add(new ShmRingTransport("shmring-spsc-adaptive-membarrier", RingKind.SPSC, ShmRingTransport.Wait.ADAPTIVE,
            WakeProtocol.MEMBARRIER));
        add(new ShmRingTransport("shmring-spsc-sleep-membarrier", RingKind.SPSC, ShmRingTransport.Wait.SLEEP,
            WakeProtocol.MEMBARRIER));
        add(new AgronaRingTransport("agrona-one-to-one", false));
        add(new AgronaRingTransport("agrona-many-to-one", true));
        add(new ChronicleQueueTransport("chronicle-queue"));
        add(new StreamUriTransport("shmring-uds", "uds"));
        add(new StreamUriTransport("shmring-fifo", "fifo"));
        add(new PipeTransport("shmring-pipe"));
        add(new StreamUriTransport("shmring-tcp", "tcp"));
        add(new AeronUriTransport("aeron-udp", true));
        add(new AeronUriTransport("aeron-ipc", false));
    }

    private Peers()
    {
    }

    private static void add(final MeasuredPeer peer)
    {
        ALL.put(peer.name(), peer);
    }

    /**
     * @return every transport, in table order.
     */
    static List<MeasuredPeer> all()
    {
        return new ArrayList<>(ALL.values());
    }

    /**
     * @param name a CSV name.
     * @return the transport.
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    static MeasuredPeer byName(final String name)
    {
        final MeasuredPeer peer = ALL.get(name);
        if (peer == null)
        {
            throw new IllegalArgumentException("unknown transport: transport=" + name + " (accepted: " +
                String.join(", ", ALL.keySet()) + ")");
        }
        return peer;
    }

    /**
     * @param name a CSV name of a Java transport (one an {@link EchoChild} can open).
     * @return the transport.
     * @throws IllegalArgumentException naming the value if it is unknown or not a Java transport.
     */
    static Transport transport(final String name)
    {
        if (byName(name) instanceof Transport transport)
        {
            return transport;
        }
        throw new IllegalArgumentException("not a Java transport: transport=" + name);
    }

    /**
     * @param names CSV names, in any order.
     * @return those transports in table order.
     */
    static List<MeasuredPeer> select(final List<String> names)
    {
        final List<MeasuredPeer> selected = new ArrayList<>();
        for (final String name : names)
        {
            byName(name);
        }
        for (final MeasuredPeer peer : ALL.values())
        {
            if (names.contains(peer.name()))
            {
                selected.add(peer);
            }
        }
        return selected;
    }
}
