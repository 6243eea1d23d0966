package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;

import java.util.Objects;

/**
 * What a ring file is created with. Every value is checked when the config is made.
 *
 * @param kind             SPSC, MPSC or BROADCAST.
 * @param capacity         data bytes, a power of 2.
 * @param maxMessageLength largest payload in bytes.
 * @param producerSlots    entries in the producer liveness table (MPSC needs at least 1; 0 is allowed for SPSC; a
 *                         broadcast ring has none).
 * @param wakeMechanism    how blocked ends are woken (futex or POSIX semaphore); recorded in the file.
 * @param broadcast        consumer slots, policy and stall timeout of a broadcast ring; null for SPSC and MPSC.
 * @param wakeProtocol     what the ring's sleepers do before their last check, recorded as the layout version
 *                         (docs/LAYOUT.md 2.1): {@link WakeProtocol#FENCED} (version 2, the default: every publisher
 *                         issues a full fence) or {@link WakeProtocol#MEMBARRIER} (version 3: publishers in a process
 *                         registered for membarrier skip it, and every sleeper issues a global expedited membarrier,
 *                         which interrupts every CPU running a registered process: 1.1 µs when the others are idle,
 *                         about 48 µs per sleep on a KVM guest whose other CPU runs one; docs/PERFORMANCE.md).
 */
public record RingConfig(
    RingKind kind, int capacity, int maxMessageLength, int producerSlots, WakeMechanism wakeMechanism,
    BroadcastConfig broadcast, WakeProtocol wakeProtocol)
{
    /** Wake protocol a ring gets when none is given: publishers fence (layout version 2). */
    public static final WakeProtocol DEFAULT_WAKE_PROTOCOL = WakeProtocol.FENCED;

    /** Wake mechanism a ring gets when none is given. */
    public static final WakeMechanism DEFAULT_WAKE_MECHANISM = WakeMechanism.FUTEX;

    /** Producer slots an MPSC ring gets when none are given. */
    public static final int DEFAULT_PRODUCER_SLOTS = 64;

    /**
     * Checks every value.
     *
     * @param kind             SPSC, MPSC or BROADCAST.
     * @param capacity         data bytes, a power of 2.
     * @param maxMessageLength largest payload in bytes.
     * @param producerSlots    entries in the producer liveness table.
     * @param wakeMechanism    how blocked ends are woken.
     * @param broadcast        the broadcast settings; null for SPSC and MPSC.
     * @param wakeProtocol     what sleepers do before their last check (the layout version).
     * @throws IllegalArgumentException naming the value, when one is out of range or they disagree.
     * @throws NullPointerException     when kind, wakeMechanism or wakeProtocol is null.
     */
    public RingConfig
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(wakeMechanism, "wakeMechanism");
        Objects.requireNonNull(wakeProtocol, "wakeProtocol");
        RingDescriptor.checkCapacity(capacity);
        RingDescriptor.checkMaxMessageLength(maxMessageLength, capacity);
        RingDescriptor.checkProducerSlots(producerSlots);
        if (kind == RingKind.MPSC && producerSlots < 1)
        {
            throw new IllegalArgumentException(
                "an MPSC ring needs at least 1 producer slot: producerSlots=" + producerSlots);
        }
        if ((kind == RingKind.BROADCAST) != (broadcast != null))
        {
            throw new IllegalArgumentException("a broadcast config goes with kind BROADCAST, and only with it: kind=" + kind +
                " broadcast=" + broadcast);
        }
        if (kind == RingKind.BROADCAST && producerSlots != 0)
        {
            throw new IllegalArgumentException("a broadcast ring has no producer table: producerSlots=" + producerSlots);
        }
    }

    /**
     * A config with the {@link #DEFAULT_WAKE_PROTOCOL}.
     *
     * @param kind             SPSC, MPSC or BROADCAST.
     * @param capacity         data bytes, a power of 2.
     * @param maxMessageLength largest payload in bytes.
     * @param producerSlots    entries in the producer liveness table.
     * @param wakeMechanism    how blocked ends are woken.
     * @param broadcast        the broadcast settings; null for SPSC and MPSC.
     */
    public RingConfig(
        final RingKind kind, final int capacity, final int maxMessageLength, final int producerSlots,
        final WakeMechanism wakeMechanism, final BroadcastConfig broadcast)
    {
        this(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, broadcast, DEFAULT_WAKE_PROTOCOL);
    }

    /**
     * An SPSC or MPSC config.
     *
     * @param kind             SPSC or MPSC.
     * @param capacity         data bytes, a power of 2.
     * @param maxMessageLength largest payload in bytes.
     * @param producerSlots    entries in the producer liveness table.
     * @param wakeMechanism    how blocked ends are woken.
     */
    public RingConfig(
        final RingKind kind, final int capacity, final int maxMessageLength, final int producerSlots,
        final WakeMechanism wakeMechanism)
    {
        this(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, null);
    }

    /**
     * A config with the {@link #DEFAULT_WAKE_MECHANISM}.
     *
     * @param kind             SPSC or MPSC.
     * @param capacity         data bytes, a power of 2.
     * @param maxMessageLength largest payload in bytes.
     * @param producerSlots    entries in the producer liveness table.
     */
    public RingConfig(final RingKind kind, final int capacity, final int maxMessageLength, final int producerSlots)
    {
        this(kind, capacity, maxMessageLength, producerSlots, DEFAULT_WAKE_MECHANISM);
    }

    /**
     * @param capacity data bytes, a power of 2.
     * @return an SPSC config with the default max message length (capacity / 8).
     */
    public static RingConfig spsc(final int capacity)
    {
        RingDescriptor.checkCapacity(capacity);
        return new RingConfig(RingKind.SPSC, capacity, RingDescriptor.defaultMaxMessageLength(capacity), 0);
    }

    /**
     * @param capacity data bytes, a power of 2.
     * @return an MPSC config with the default max message length and {@link #DEFAULT_PRODUCER_SLOTS} slots.
     */
    public static RingConfig mpsc(final int capacity)
    {
        RingDescriptor.checkCapacity(capacity);
        return new RingConfig(
            RingKind.MPSC, capacity, RingDescriptor.defaultMaxMessageLength(capacity), DEFAULT_PRODUCER_SLOTS);
    }

    /**
     * @param capacity  data bytes, a power of 2.
     * @param broadcast consumer slots, policy and stall timeout.
     * @return a broadcast config with the default max message length (capacity / 8).
     */
    public static RingConfig broadcast(final int capacity, final BroadcastConfig broadcast)
    {
        RingDescriptor.checkCapacity(capacity);
        return new RingConfig(RingKind.BROADCAST, capacity, RingDescriptor.defaultMaxMessageLength(capacity), 0,
            DEFAULT_WAKE_MECHANISM, broadcast);
    }

    /**
     * @param maxMessageLength largest payload in bytes.
     * @return a copy with that max message length.
     */
    public RingConfig withMaxMessageLength(final int maxMessageLength)
    {
        return new RingConfig(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, broadcast, wakeProtocol);
    }

    /**
     * @param producerSlots entries in the producer table.
     * @return a copy with that many producer slots.
     */
    public RingConfig withProducerSlots(final int producerSlots)
    {
        return new RingConfig(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, broadcast, wakeProtocol);
    }

    /**
     * @param wakeMechanism how blocked ends are woken.
     * @return a copy with that wake mechanism.
     */
    public RingConfig withWakeMechanism(final WakeMechanism wakeMechanism)
    {
        return new RingConfig(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, broadcast, wakeProtocol);
    }

    /**
     * @param wakeProtocol what the ring's sleepers do before their last check: {@link WakeProtocol#MEMBARRIER} makes
     *                     the publishing hot path fence-free and every sleep cost a global expedited membarrier.
     * @return a copy with that wake protocol (layout version 2 for FENCED, 3 for MEMBARRIER).
     */
    public RingConfig withWakeProtocol(final WakeProtocol wakeProtocol)
    {
        return new RingConfig(kind, capacity, maxMessageLength, producerSlots, wakeMechanism, broadcast, wakeProtocol);
    }

    /**
     * @return entries in the consumer table: a broadcast ring's consumer slots, else 0.
     */
    public int consumerSlots()
    {
        return broadcast == null ? 0 : broadcast.consumerSlots();
    }

    /**
     * @return bytes of the file this config makes.
     */
    public long fileLength()
    {
        return RingDescriptor.fileLength(capacity, producerSlots + consumerSlots());
    }
}
