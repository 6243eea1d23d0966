package io.shmring.bench.harness;

import io.shmring.ringbuffer.RingKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every transport the harness knows, by its CSV name, in table order.
 */
public final class Peers
{
    /** The baseline every ratio is taken against. */
    public static final String BASELINE = "shmring-spsc";

    private static final Map<String, Transport> ALL = new LinkedHashMap<>();

    static
    {
        add(new ShmRingTransport(BASELINE, RingKind.SPSC, ShmRingTransport.Wait.SPIN));
        add(new ShmRingTransport("shmring-mpsc", RingKind.MPSC, ShmRingTransport.Wait.SPIN));
        add(new ShmRingTransport("shmring-spsc-futex", RingKind.SPSC, ShmRingTransport.Wait.FUTEX));
        add(new ShmRingTransport("shmring-spsc-semaphore", RingKind.SPSC, ShmRingTransport.Wait.SEMAPHORE));
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

    private static void add(final Transport transport)
    {
        ALL.put(transport.name(), transport);
    }

    /**
     * @return every transport, in table order.
     */
    public static List<Transport> all()
    {
        return new ArrayList<>(ALL.values());
    }

    /**
     * @param name a CSV name.
     * @return the transport.
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    public static Transport byName(final String name)
    {
        final Transport transport = ALL.get(name);
        if (transport == null)
        {
            throw new IllegalArgumentException("unknown transport: transport=" + name + " (accepted: " +
                String.join(", ", ALL.keySet()) + ")");
        }
        return transport;
    }

    /**
     * @param names CSV names, in any order.
     * @return those transports in table order.
     */
    public static List<Transport> select(final List<String> names)
    {
        final List<Transport> selected = new ArrayList<>();
        for (final String name : names)
        {
            byName(name);
        }
        for (final Transport transport : ALL.values())
        {
            if (names.contains(transport.name()))
            {
                selected.add(transport);
            }
        }
        return selected;
    }
}
