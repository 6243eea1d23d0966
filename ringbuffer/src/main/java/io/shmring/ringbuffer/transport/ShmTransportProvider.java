package io.shmring.ringbuffer.transport;

import io.shmring.core.FileAccess;
import io.shmring.core.Publisher;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.BroadcastStart;
import io.shmring.ringbuffer.IncompatibleRingException;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingGoneException;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.WakeProtocol;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code shm:/dev/shm/name?capacity=1m&maxMessageLength=128k&kind=spsc&wait=backoff&keep=true&group=NAME}: a ring
 * file in shared memory. A bare name ({@code shm:name}) goes in {@link SharedMemoryDirectory}.
 * <ul>
 * <li>Either side may come first: the first creates the file (mode 0600, or 0660 and group NAME with
 * {@code group}; atomically) with {@code kind},
 * {@code capacity} (default 1 MiB, a power of 2; sizes such as {@code 64k}, {@code 4m}) and
 * {@code maxMessageLength} (default capacity / 8); later sides open it as it is. A value the URI states must
 * match the file; a value it leaves out is taken from the file.</li>
 * <li>{@code wait}: how {@code take} and a timed {@code offer} pass the time: polling with {@code spin},
 * {@code yield} or {@code backoff} (default), or asleep in the kernel with {@code futex} or {@code semaphore}
 * (spin and yield briefly, then sleep on the ring's wake line until the other side signals). The creator
 * records the wake mechanism in the file: {@code wait=semaphore} creates a semaphore ring, any other value a
 * futex ring. A side asking {@code futex} or {@code semaphore} of an existing file must find that mechanism
 * there; the polling waits work with either. Publishers always signal the mechanism the file has, so a
 * polling side and a sleeping side can be mixed.</li>
 * <li>The ring file outlives both sides: a subscriber that closes (or crashes) and a new one that opens the path
 * resume at the last consumed message. {@code keep=false} on the subscriber deletes the file at close, but only
 * when nothing can be lost: every message consumed and no live publisher attached ({@link RingFile#deleteIfIdle()}).
 * A publisher never deletes the file; one whose file is deleted or replaced under it is told
 * ({@link io.shmring.core.Publisher#DESTINATION_GONE}, then {@link io.shmring.ringbuffer.RingGoneException}).</li>
 * <li>An existing file is used only if it passes {@link FileAccess}: this user's, not a symbolic link, no access
 * for other users, group access only for the URI's {@code group} (and then it may belong to another member of that
 * group), in directories nobody else can replace it in. A refusal is an {@link io.shmring.core.InsecureFileException}
 * naming the file's owner, group and mode; nothing was read from or written to the file
 * ({@link RingFile#open(Path, RingKind, Integer)}).</li>
 * <li>{@code kind}: {@code spsc} (default; one publisher), {@code mpsc} (any number of publishers, in
 * any processes; a file this side creates gets {@code producerSlots} producer slots, 1..4096, default
 * {@link RingConfig#DEFAULT_PRODUCER_SLOTS}: at most that many publisher processes at once; like {@code capacity}, a
 * stated value must match an existing file, and {@code producerSlots} without {@code kind} means {@code kind=mpsc}),
 * or {@code broadcast}
 * (one publisher, up to {@code consumers} subscribers that each read every message; see below).</li>
 * <li>{@code claimTimeoutMs} (MPSC subscriber): how long a claim may block the head before a producer judged dead by
 * its heartbeat alone (another pid namespace) loses it, {@value MpscConsumer#MIN_CLAIM_TIMEOUT_MS}..one day, default
 * {@value MpscConsumer#DEFAULT_CLAIM_TIMEOUT_MS}. A producer whose death is certain (its pid checked in this namespace)
 * loses its claim at the first judgement, {@value MpscConsumer#JUDGE_INTERVAL_MS} ms after it blocks the head.</li>
 * <li>{@code wakeProtocol}: {@code fenced} (default: layout version 2, a full fence after every publication) or
 * {@code membarrier} (layout version 3: a publisher in a process that can issue membarrier skips the fence; a sleeper
 * pays a membarrier before it sleeps, which interrupts every CPU running a registered process: tens of µs on a virtual
 * machine; see {@link RingConfig#withWakeProtocol(WakeProtocol)}). Like {@code capacity}, a stated value must match an
 * existing file.</li>
 * <li>Broadcast rings ({@code kind=broadcast}): {@code policy=lossless} (default: the slowest live subscriber holds
 * the publisher back; one dead, or stalled for {@code stallTimeoutMs} (default 5000), is dropped and told so) or
 * {@code policy=lossy} (the publisher never waits; a lapped subscriber is told and skips to the newest message);
 * {@code consumers} subscribers at most (default 16, 1..1024), fixed at creation. Every subscriber is one more
 * consumer: it joins at the newest message ({@code start=oldest} on a lossy ring: at the oldest one still intact)
 * and leaves at close; a subscriber of a broadcast ring never deletes it ({@code keep} is refused).</li>
 * </ul>
 */
public final class ShmTransportProvider implements TransportProvider
{
    /** Data bytes of a ring this side creates. */
    public static final String CAPACITY = "capacity";
    /** Largest payload of a ring this side creates. */
    public static final String MAX_MESSAGE_LENGTH = "maxMessageLength";
    /** {@code spsc} (default) or {@code mpsc}. */
    public static final String KIND = "kind";
    /** {@code spin}, {@code yield}, {@code backoff} (default), {@code futex} or {@code semaphore}. */
    public static final String WAIT = "wait";
    /** Subscriber: {@code false} deletes the file at close if it is idle (all consumed, no live publisher). */
    public static final String KEEP = "keep";
    /** Broadcast: {@code lossless} (default) or {@code lossy}. */
    public static final String POLICY = "policy";
    /** Broadcast: consumer slots of a ring this side creates. */
    public static final String CONSUMERS = "consumers";
    /** Broadcast, lossless: ms a subscriber may hold the publisher back without moving before it is dropped. */
    public static final String STALL_TIMEOUT_MS = "stallTimeoutMs";
    /** Broadcast subscriber: {@code tail} (default) or, lossy only, {@code oldest}. */
    public static final String START = "start";
    /** MPSC: producer slots of a ring this side creates (1..4096): how many publisher processes may attach at once. */
    public static final String PRODUCER_SLOTS = "producerSlots";
    /**
     * What a ring this side creates records as its wake protocol (docs/LAYOUT.md 2.1): {@code fenced} (default, layout
     * version 2: every publication issues a full fence) or {@code membarrier} (version 3: publishers in processes that
     * can issue membarrier skip the fence, and each sleeper issues one before its last check).
     */
    public static final String WAKE_PROTOCOL = "wakeProtocol";
    /**
     * MPSC subscriber: ms a claim may block the head before its producer's liveness is judged (a dead producer's claim is
     * then recovered); {@link MpscConsumer#MIN_CLAIM_TIMEOUT_MS}..{@link MpscConsumer#MAX_CLAIM_TIMEOUT_MS}, default
     * {@link MpscConsumer#DEFAULT_CLAIM_TIMEOUT_MS}.
     */
    public static final String CLAIM_TIMEOUT_MS = "claimTimeoutMs";

    /** How long an opener waits for a ring file another process is still creating. */
    public static final long OPEN_TIMEOUT_MS = 5_000;

    /** Capacity when the URI gives none. */
    public static final int DEFAULT_CAPACITY = 1024 * 1024;

    @Override
    public String scheme()
    {
        return "shm";
    }

    @Override
    public Set<String> parameters()
    {
        return Set.of(CAPACITY, MAX_MESSAGE_LENGTH, KIND, WAIT, KEEP, FileAccess.GROUP, POLICY, CONSUMERS, STALL_TIMEOUT_MS, START,
            PRODUCER_SLOTS, WAKE_PROTOCOL, CLAIM_TIMEOUT_MS);
    }

    @Override
    public String example()
    {
        return "shm:/dev/shm/name?capacity=4m&wait=backoff";
    }

    @Override
    public Publisher publisher(final TransportUri uri)
    {
        if (uri.has(KEEP))
        {
            throw uri.badParameter(KEEP, uri.get(KEEP), "nothing: the subscriber decides about the file");
        }
        if (uri.has(START))
        {
            throw uri.badParameter(START, uri.get(START), "nothing: where a broadcast subscriber starts reading");
        }
        if (uri.has(CLAIM_TIMEOUT_MS))
        {
            throw uri.badParameter(CLAIM_TIMEOUT_MS, uri.get(CLAIM_TIMEOUT_MS), "nothing: the subscriber judges blocked claims");
        }
        final ShmWait wait = shmWait(uri);
        return attach(uri, wait, file -> new ShmPublisher(file, wait));
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final boolean keep = uri.getBoolean(KEEP, true);
        final ShmWait wait = shmWait(uri);
        final BroadcastStart start = "oldest".equals(uri.getChoice(START, "tail", List.of("tail", "oldest"))) ?
            BroadcastStart.OLDEST : BroadcastStart.TAIL;
        final long claimTimeoutMs = uri.getLong(CLAIM_TIMEOUT_MS, MpscConsumer.DEFAULT_CLAIM_TIMEOUT_MS,
            MpscConsumer.MIN_CLAIM_TIMEOUT_MS, MpscConsumer.MAX_CLAIM_TIMEOUT_MS);
        return attach(uri, wait, file ->
        {
            if (file.kind() == RingKind.BROADCAST && uri.has(KEEP))
            {
                throw uri.badParameter(KEEP, uri.get(KEEP), "nothing on a broadcast ring: its subscribers never delete it");
            }
            if (file.kind() != RingKind.BROADCAST && uri.has(START))
            {
                throw uri.badParameter(START, uri.get(START), "nothing on an " + file.kind() + " ring: only broadcast subscribers join");
            }
            if (file.kind() != RingKind.MPSC && uri.has(CLAIM_TIMEOUT_MS))
            {
                throw uri.badParameter(CLAIM_TIMEOUT_MS, uri.get(CLAIM_TIMEOUT_MS), "nothing on an " + file.kind() +
                    " ring: only MPSC rings have claims to recover");
            }
            if (start == BroadcastStart.OLDEST && file.broadcastPolicy() == BroadcastPolicy.LOSSLESS)
            {
                throw uri.badParameter(START, uri.get(START), "tail on a lossless ring (older bytes are not protected)");
            }
            return new ShmSubscriber(file, wait, !keep, start, claimTimeoutMs);
        });
    }

    /**
     * Open (or create) the ring and attach an end to it; a ring its consumer deleted as idle while we attached is
     * opened anew (the path is free, or names a new ring), until {@link #OPEN_TIMEOUT_MS}.
     */
    private static <T> T attach(final TransportUri uri, final ShmWait wait, final Function<RingFile, T> end)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_TIMEOUT_MS);
        while (true)
        {
            final RingFile file = open(uri, wait);
            try
            {
                return end.apply(file);
            }
            catch (final RingGoneException ex)
            {
                file.close();
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
            }
            catch (final RuntimeException ex)
            {
                file.close();
                throw ex;
            }
        }
    }

    private static RingFile open(final TransportUri uri, final ShmWait wait)
    {
        final RingKind kind = ringKind(uri);
        final int capacity = uri.getSize(CAPACITY, DEFAULT_CAPACITY, RingDescriptor.MIN_CAPACITY, RingDescriptor.MAX_CAPACITY);
        if (Integer.bitCount(capacity) != 1)
        {
            throw uri.badParameter(CAPACITY, uri.get(CAPACITY), "a power of 2 (e.g. 64k, 1m, 4m)");
        }
        final int maxMessageLength = uri.getSize(MAX_MESSAGE_LENGTH, RingDescriptor.defaultMaxMessageLength(capacity),
            0, RingDescriptor.maxMessageLengthLimit(capacity));
        final int producerSlots = producerSlots(uri, kind);
        final BroadcastConfig broadcast = broadcastConfig(uri, kind);
        final RingConfig config = new RingConfig(kind, capacity, maxMessageLength, producerSlots,
            wait.mechanism() != null ? wait.mechanism() : RingConfig.DEFAULT_WAKE_MECHANISM, broadcast, wakeProtocol(uri));
        final RingFile file = RingFile.openOrCreate(path(uri), config, FileAccess.group(uri), OPEN_TIMEOUT_MS,
            TimeUnit.MILLISECONDS);
        if (!file.createdHere())
        {
            try
            {
                checkMatches(uri, file, wait);
            }
            catch (final RuntimeException ex)
            {
                file.close();
                throw ex;
            }
        }
        return file;
    }

    /**
     * @return the broadcast settings the URI gives (defaults for those it leaves out), or null for other kinds, whose
     *         URIs must not give any.
     */
    private static BroadcastConfig broadcastConfig(final TransportUri uri, final RingKind kind)
    {
        if (kind != RingKind.BROADCAST)
        {
            for (final String parameter : List.of(POLICY, CONSUMERS, STALL_TIMEOUT_MS))
            {
                if (uri.has(parameter))
                {
                    throw uri.badParameter(parameter, uri.get(parameter), "nothing unless kind=broadcast");
                }
            }
            return null;
        }
        final BroadcastPolicy policy = policy(uri);
        final int consumers = (int)uri.getLong(CONSUMERS, BroadcastDescriptor.DEFAULT_CONSUMER_SLOTS, 1, BroadcastDescriptor.MAX_CONSUMER_SLOTS);
        if (policy == BroadcastPolicy.LOSSY)
        {
            if (uri.has(STALL_TIMEOUT_MS))
            {
                throw uri.badParameter(STALL_TIMEOUT_MS, uri.get(STALL_TIMEOUT_MS), "nothing on a lossy ring (its publisher never waits)");
            }
            return BroadcastConfig.lossy(consumers);
        }
        return BroadcastConfig.lossless(consumers).withStallTimeoutMs(uri.getLong(STALL_TIMEOUT_MS,
            BroadcastDescriptor.DEFAULT_STALL_TIMEOUT_MS, BroadcastDescriptor.MIN_STALL_TIMEOUT_MS, BroadcastDescriptor.MAX_STALL_TIMEOUT_MS));
    }

    /**
     * @return the producer slots of an MPSC ring the URI gives (the default if it leaves them out), 0 for other kinds,
     *         whose URIs must not give any.
     */
    private static int producerSlots(final TransportUri uri, final RingKind kind)
    {
        if (kind != RingKind.MPSC)
        {
            if (uri.has(PRODUCER_SLOTS))
            {
                throw uri.badParameter(PRODUCER_SLOTS, uri.get(PRODUCER_SLOTS), "nothing unless kind=mpsc");
            }
            return 0;
        }
        return (int)uri.getLong(PRODUCER_SLOTS, RingConfig.DEFAULT_PRODUCER_SLOTS, 1, RingDescriptor.MAX_PRODUCER_SLOTS);
    }

    private static WakeProtocol wakeProtocol(final TransportUri uri)
    {
        return "membarrier".equals(uri.getChoice(WAKE_PROTOCOL, "fenced", List.of("fenced", "membarrier"))) ?
            WakeProtocol.MEMBARRIER : WakeProtocol.FENCED;
    }

    private static BroadcastPolicy policy(final TransportUri uri)
    {
        return "lossy".equals(uri.getChoice(POLICY, "lossless", List.of("lossless", "lossy"))) ? BroadcastPolicy.LOSSY :
            BroadcastPolicy.LOSSLESS;
    }

    /**
     * An existing file is taken as it is; only values the URI states must match it. A refusal gives both values in the
     * file's notation (bytes as numbers, kinds as RingKind names) and the URI's spelling beside the asked one.
     */
    private static void checkMatches(final TransportUri uri, final RingFile file, final ShmWait wait)
    {
        if (wait.mechanism() != null && file.wakeMechanism() != wait.mechanism())
        {
            throw incompatible(uri, file, "wakeMechanism", file.wakeMechanism(), wait.mechanism(), WAIT,
                "ask the file's mechanism, or leave " + WAIT + " out (adaptive: sleeps in the file's mechanism)");
        }
        if (uri.has(KIND) && file.kind() != ringKind(uri))
        {
            throw incompatible(uri, file, KIND, file.kind(), ringKind(uri), KIND, "");
        }
        if (uri.has(CAPACITY) && uri.getSize(CAPACITY, 0, 0, Integer.MAX_VALUE) != file.capacity())
        {
            throw incompatible(uri, file, CAPACITY, file.capacity(), uri.getSize(CAPACITY, 0, 0, Integer.MAX_VALUE), CAPACITY, "");
        }
        if (uri.has(MAX_MESSAGE_LENGTH) && uri.getSize(MAX_MESSAGE_LENGTH, 0, 0, Integer.MAX_VALUE) != file.maxMessageLength())
        {
            throw incompatible(uri, file, MAX_MESSAGE_LENGTH, file.maxMessageLength(),
                uri.getSize(MAX_MESSAGE_LENGTH, 0, 0, Integer.MAX_VALUE), MAX_MESSAGE_LENGTH, "");
        }
        if (uri.has(PRODUCER_SLOTS) && uri.getLong(PRODUCER_SLOTS, 0, 0, Long.MAX_VALUE) != file.producerSlots())
        {
            throw incompatible(uri, file, PRODUCER_SLOTS, file.producerSlots(), uri.getLong(PRODUCER_SLOTS, 0, 0, Long.MAX_VALUE),
                PRODUCER_SLOTS, "");
        }
        if (uri.has(WAKE_PROTOCOL) && file.wakeProtocol() != wakeProtocol(uri))
        {
            throw incompatible(uri, file, WAKE_PROTOCOL, file.wakeProtocol(), wakeProtocol(uri), WAKE_PROTOCOL,
                "leave " + WAKE_PROTOCOL + " out to use the file's (every process of a ring follows the file's protocol)");
        }
        if (uri.has(POLICY) && file.broadcastPolicy() != policy(uri))
        {
            throw incompatible(uri, file, POLICY, file.broadcastPolicy(), policy(uri), POLICY, "");
        }
        if (uri.has(CONSUMERS) && uri.getLong(CONSUMERS, 0, 0, Long.MAX_VALUE) != file.consumerSlots())
        {
            throw incompatible(uri, file, CONSUMERS, file.consumerSlots(), uri.getLong(CONSUMERS, 0, 0, Long.MAX_VALUE), CONSUMERS, "");
        }
        if (uri.has(STALL_TIMEOUT_MS) && uri.getLong(STALL_TIMEOUT_MS, 0, 0, Long.MAX_VALUE) != file.stallTimeoutMs())
        {
            throw incompatible(uri, file, STALL_TIMEOUT_MS, file.stallTimeoutMs(), uri.getLong(STALL_TIMEOUT_MS, 0, 0, Long.MAX_VALUE),
                STALL_TIMEOUT_MS, "");
        }
    }

    /**
     * @param parameter the URI parameter the asked value was read from (its spelling goes in the message).
     */
    private static IncompatibleRingException incompatible(
        final TransportUri uri, final RingFile file, final String field, final Object actual, final Object asked,
        final String parameter, final String advice)
    {
        return new IncompatibleRingException(file.path(), field, actual, asked, uri.get(parameter), "the URI " + uri, advice);
    }

    private static Path path(final TransportUri uri)
    {
        final String path = uri.path();
        if (path == null || path.isEmpty() || uri.host() != null)
        {
            throw new IllegalArgumentException("shm URI needs a file path or name, as in shm:/dev/shm/name: uri=" + uri);
        }
        return path.indexOf('/') < 0 ? SharedMemoryDirectory.resolve(path) : Paths.get(path);
    }

    private static RingKind ringKind(final TransportUri uri)
    {
        // a URI that gives broadcast settings (or producer slots) and no kind means a broadcast (or an MPSC) ring, and
        // matches an existing one
        final String unstated = uri.has(POLICY) || uri.has(CONSUMERS) || uri.has(STALL_TIMEOUT_MS) ? "broadcast" :
            uri.has(PRODUCER_SLOTS) ? "mpsc" : "spsc";
        switch (uri.getChoice(KIND, unstated, List.of("spsc", "mpsc", "broadcast")))
        {
            case "mpsc":
                return RingKind.MPSC;
            case "broadcast":
                return RingKind.BROADCAST;
            default:
                return RingKind.SPSC;
        }
    }

    private static ShmWait shmWait(final TransportUri uri)
    {
        return ShmWait.fromUri(uri.getChoice(WAIT, ShmWait.DEFAULT.uriValue(), ShmWait.ACCEPTED));
    }
}
