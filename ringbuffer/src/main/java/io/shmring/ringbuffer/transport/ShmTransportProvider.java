package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.core.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.TransportProvider;
import io.shmring.core.TransportUri;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/**
 * {@code shm:/dev/shm/name?capacity=1m&maxMessageLength=128k&kind=spsc&wait=backoff&keep=false}: a ring
 * file in shared memory. A bare name ({@code shm:name}) goes in {@link SharedMemoryDirectory}.
 * <ul>
 * <li>Either side may come first: the first creates the file (mode 0600) with {@code capacity} (default
 * 1 MiB, a power of 2; sizes such as {@code 64k}, {@code 4m}) and {@code maxMessageLength} (default
 * capacity / 8); later sides open it and, if they give either value, it must match the file.</li>
 * <li>{@code wait}: how {@code take} and a timed {@code offer} pass the time: polling with {@code spin},
 * {@code yield} or {@code backoff} (default), or asleep in the kernel with {@code futex} or {@code semaphore}
 * (spin and yield briefly, then sleep on the ring's wake line until the other side signals). The creator
 * records the wake mechanism in the file: {@code wait=semaphore} creates a semaphore ring, any other value a
 * futex ring. A side asking {@code futex} or {@code semaphore} of an existing file must find that mechanism
 * there; the polling waits work with either. Publishers always signal the mechanism the file has, so a
 * polling side and a sleeping side can be mixed.</li>
 * <li>The subscriber deletes the file on close unless {@code keep=true}; a publisher never deletes it.</li>
 * <li>{@code kind}: {@code spsc} (default; one publisher) or {@code mpsc} (any number of publishers, in
 * any processes; the file gets {@link RingConfig#DEFAULT_PRODUCER_SLOTS} producer slots).</li>
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
    /** Subscriber: {@code true} leaves the file in place on close. */
    public static final String KEEP = "keep";

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
        return Set.of(CAPACITY, MAX_MESSAGE_LENGTH, KIND, WAIT, KEEP);
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
            throw uri.badParameter(KEEP, uri.get(KEEP), "nothing: the subscriber owns the file");
        }
        final ShmWait wait = shmWait(uri);
        final RingFile file = open(uri, wait);
        try
        {
            return new ShmPublisher(file, wait);
        }
        catch (final RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    @Override
    public Subscriber subscriber(final TransportUri uri)
    {
        final boolean keep = uri.getBoolean(KEEP, false);
        final ShmWait wait = shmWait(uri);
        final RingFile file = open(uri, wait);
        try
        {
            return new ShmSubscriber(file, wait, !keep);
        }
        catch (final RuntimeException ex)
        {
            file.close();
            throw ex;
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
        final int producerSlots = kind == RingKind.MPSC ? RingConfig.DEFAULT_PRODUCER_SLOTS : 0;
        final RingConfig config = new RingConfig(kind, capacity, maxMessageLength, producerSlots)
            .withWakeMechanism(wait.blocks() ? wait.mechanism() : RingConfig.DEFAULT_WAKE_MECHANISM);
        final ShmRingFiles.Opened opened = ShmRingFiles.createOrOpen(path(uri), config);
        final RingFile file = opened.file();
        if (!opened.created())
        {
            try
            {
                checkMatches(uri, file, kind, wait);
            }
            catch (final RuntimeException ex)
            {
                file.close();
                throw ex;
            }
        }
        return file;
    }

    private static void checkMatches(final TransportUri uri, final RingFile file, final RingKind kind, final ShmWait wait)
    {
        if (wait.blocks() && file.wakeMechanism() != wait.mechanism())
        {
            throw new IllegalArgumentException("ring file has wakeMechanism=" + file.wakeMechanism() +
                " but the URI asks " + WAIT + "=" + wait.uriValue() + " (wakeMechanism=" + wait.mechanism() +
                "); ask the file's mechanism or a polling wait (spin, yield, backoff): uri=" + uri);
        }
        if (file.kind() != kind)
        {
            throw new IllegalArgumentException("ring file has kind=" + file.kind() + " but the URI asks kind=" + kind +
                ": uri=" + uri);
        }
        if (uri.has(CAPACITY) && uri.getSize(CAPACITY, 0, 0, Integer.MAX_VALUE) != file.capacity())
        {
            throw new IllegalArgumentException("ring file has capacity=" + file.capacity() + " but the URI asks " +
                CAPACITY + "=" + uri.get(CAPACITY) + ": uri=" + uri);
        }
        if (uri.has(MAX_MESSAGE_LENGTH) && uri.getSize(MAX_MESSAGE_LENGTH, 0, 0, Integer.MAX_VALUE) != file.maxMessageLength())
        {
            throw new IllegalArgumentException("ring file has maxMessageLength=" + file.maxMessageLength() +
                " but the URI asks " + MAX_MESSAGE_LENGTH + "=" + uri.get(MAX_MESSAGE_LENGTH) + ": uri=" + uri);
        }
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
        return "mpsc".equals(uri.getChoice(KIND, "spsc", List.of("spsc", "mpsc"))) ? RingKind.MPSC : RingKind.SPSC;
    }

    private static ShmWait shmWait(final TransportUri uri)
    {
        return ShmWait.fromUri(uri.getChoice(WAIT, "backoff", ShmWait.ACCEPTED));
    }
}
