package io.shmring.bench.harness;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;

import java.nio.file.Path;
import java.util.Map;

/**
 * shmring's own rings, used directly (no URI layer): two ring files of {@link #RING_CAPACITY} bytes in
 * the run directory, made by the parent. Spinning modes busy-poll like the Agrona peers; blocking modes
 * use {@code take} and the timed {@code offer}, which wait by the mode's {@link Wait} strategy (spin briefly or
 * adaptively, or not at all) and then sleep on the ring's futex or semaphore until signalled.
 */
final class ShmRingTransport implements Transport
{
    /**
     * How the receiving end waits.
     */
    enum Wait
    {
        /** Busy-poll. */
        SPIN,
        /** {@link BlockingWaitStrategy#defaults()}: spin 100, yield 10, then FUTEX_WAIT on the ring's wake line. */
        FUTEX,
        /** As {@link #FUTEX}, sem_wait on the ring's process-shared semaphore. */
        SEMAPHORE,
        /** The rings' default wait ({@link RingWakeups#defaultWaitStrategy()}): an adaptive spin, then FUTEX_WAIT. */
        ADAPTIVE,
        /** {@link BlockingWaitStrategy#sleepOnly()}: FUTEX_WAIT at once, whenever the ring has nothing (or no room). */
        SLEEP
    }

    private final String name;
    private final RingKind kind;
    private final Wait wait;
    private final WakeProtocol protocol;

    /**
     * Rings of the default wake protocol ({@link RingConfig#DEFAULT_WAKE_PROTOCOL}: layout version 2, publishers fence).
     */
    ShmRingTransport(final String name, final RingKind kind, final Wait wait)
    {
        this(name, kind, wait, RingConfig.DEFAULT_WAKE_PROTOCOL);
    }

    /**
     * @param protocol the rings' wake protocol: {@link WakeProtocol#MEMBARRIER} makes them layout version 3, whose
     *                 publishers skip the fence and whose sleepers issue a global expedited membarrier.
     */
    ShmRingTransport(final String name, final RingKind kind, final Wait wait, final WakeProtocol protocol)
    {
        this.name = name;
        this.kind = kind;
        this.wait = wait;
        this.protocol = protocol;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "shmring " + kind + " ring file" + (protocol == WakeProtocol.MEMBARRIER ? " (layout version 3: membarrier)" : "") +
            ", " + switch (wait)
        {
            case SPIN -> "busy-spin poll";
            case FUTEX -> "take/offer: spin 100, yield 10, then futex sleep";
            case SEMAPHORE -> "take/offer: spin 100, yield 10, then POSIX semaphore sleep";
            case ADAPTIVE -> "take/offer with the default wait: adaptive spin, then futex sleep";
            case SLEEP -> "take/offer: futex sleep at once";
        };
    }

    @Override
    public boolean blocking()
    {
        return wait != Wait.SPIN;
    }

    @Override
    public TransportSide open(final Role role, final TransportContext context)
    {
        final Path ping = context.directory().resolve(name + "-ping.ring");
        final Path pong = context.directory().resolve(name + "-pong.ring");
        final RingFile pingFile;
        final RingFile pongFile;
        if (role == Role.PARENT)
        {
            final RingConfig config = config();
            pingFile = RingFile.create(ping, config);
            pongFile = createOrDelete(pong, config, pingFile);
        }
        else
        {
            pingFile = RingFile.open(ping, kind);
            pongFile = openOrClose(pong, pingFile);
        }
        final boolean parent = role == Role.PARENT;
        final RingFile outgoing = parent ? pingFile : pongFile;
        final RingFile incoming = parent ? pongFile : pingFile;
        final Receiver receiver = receiver(incoming, context.spinWait(name + (parent ? " pong" : " ping")), parent);
        final Sender sender = sender(outgoing, context.spinWait(name + (parent ? " ping" : " pong")), parent);
        return new RingSide(sender, receiver);
    }

    private static RingFile createOrDelete(final Path path, final RingConfig config, final RingFile other)
    {
        try
        {
            return RingFile.create(path, config);
        }
        catch (final RuntimeException ex)
        {
            other.close();
            other.delete();
            throw ex;
        }
    }

    private RingFile openOrClose(final Path path, final RingFile other)
    {
        try
        {
            return RingFile.open(path, kind);
        }
        catch (final RuntimeException ex)
        {
            other.close();
            throw ex;
        }
    }

    /**
     * @return the ring kind.
     */
    RingKind kind()
    {
        return kind;
    }

    /**
     * @return how every ring of this transport is made: {@link #RING_CAPACITY} bytes, its kind, the wake mechanism its
     *         wait sleeps on, its wake protocol.
     */
    RingConfig config()
    {
        return (kind == RingKind.SPSC ? RingConfig.spsc(RING_CAPACITY) : RingConfig.mpsc(RING_CAPACITY))
            .withWakeMechanism(wait == Wait.SEMAPHORE ? WakeMechanism.SEMAPHORE : WakeMechanism.FUTEX)
            .withWakeProtocol(protocol);
    }

    /**
     * @return a new wait strategy for one ring end (adaptive ones hold per-end state).
     */
    WaitStrategy waitStrategy()
    {
        return switch (wait)
        {
            case SPIN -> IdleWaitStrategy.busySpin();
            case FUTEX, SEMAPHORE -> BlockingWaitStrategy.defaults();
            case ADAPTIVE -> RingWakeups.defaultWaitStrategy();
            case SLEEP -> BlockingWaitStrategy.sleepOnly();
        };
    }

    private Sender sender(final RingFile file, final SpinWait spin, final boolean owner)
    {
        final AutoCloseable release = () -> release(file, owner);
        final Publisher producer;
        final RingWakeups wakeups;
        if (kind == RingKind.SPSC)
        {
            final SpscProducer spsc = new SpscProducer(file, waitStrategy());
            producer = spsc;
            wakeups = spsc.wakeups();
        }
        else
        {
            final MpscProducer mpsc = new MpscProducer(file, waitStrategy());
            producer = mpsc;
            wakeups = mpsc.wakeups();
        }
        wakeups.prepare();
        return wait == Wait.SPIN ? new SpinningPublisherSender(producer, spin, release) :
            new BlockingRingSender(producer, wakeups, spin, release);
    }

    private Receiver receiver(final RingFile file, final SpinWait spin, final boolean owner)
    {
        final AutoCloseable release = () -> release(file, owner);
        final Subscriber consumer;
        final RingWakeups wakeups;
        if (kind == RingKind.SPSC)
        {
            final SpscConsumer spsc = new SpscConsumer(file, waitStrategy());
            consumer = spsc;
            wakeups = spsc.wakeups();
        }
        else
        {
            final MpscConsumer mpsc = new MpscConsumer(file, waitStrategy());
            consumer = mpsc;
            wakeups = mpsc.wakeups();
        }
        wakeups.prepare();
        return wait == Wait.SPIN ? new SpinningSubscriberReceiver(consumer, spin, release) :
            new BlockingRingReceiver(consumer, wakeups, spin, release);
    }

    private static void release(final RingFile file, final boolean owner)
    {
        file.close();
        if (owner)
        {
            file.delete();
        }
    }

    /**
     * Both ring ends of one process; nothing to connect (the parent made both files before the child started).
     */
    private record RingSide(Sender sender, Receiver receiver) implements TransportSide
    {
        @Override
        public void connect(final Map<String, String> fromPeer, final Process child)
        {
        }

        @Override
        public void close()
        {
            Closer.closeAll(sender, receiver);
        }
    }
}
