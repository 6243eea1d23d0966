package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.core.MappedRegion;
import io.shmring.core.ProcessIdentity;
import io.shmring.sync.Eventcount;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.shmring.ringbuffer.RingDescriptor.*;

/**
 * A mapped ring file whose header has been validated: the shared state under a ring's producers
 * and consumer. Opening checks magic, version, kind, capacity, max message length, producer
 * slots and file length before any byte past the header is touched, so a bad file is an
 * {@link InvalidRingFileException} and never a crash.
 * <p>
 * Closing unmaps the file; producers and consumers built on it must be closed first.
 */
public final class RingFile implements AutoCloseable
{
    private final MappedRegion region;
    private final AtomicBuffer buffer;
    private final UnsafeBuffer data;
    private final RingKind kind;
    private final int capacity;
    private final int maxMessageLength;
    private final int producerSlots;
    private final WakeMechanism wakeMechanism;
    private final long creatorPid;
    private final long creatorStartTimeMs;
    private final long creationTimeMs;
    private final List<Runnable> closeActions = new ArrayList<>();

    private RingFile(final MappedRegion region, final RingKind expectedKind)
    {
        this.region = region;
        this.buffer = region.buffer();
        final Path path = region.path();

        final long magic = buffer.getLongAcquire(MAGIC_OFFSET); // acquire: pairs with the creator's release of the magic
        if (magic == 0)
        {
            throw InvalidRingFileException.notInitialised(path);
        }
        if (magic != MAGIC)
        {
            throw new InvalidRingFileException(path, "not a shmring file: magic=0x" + Long.toHexString(magic));
        }
        final int version = buffer.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            throw new InvalidRingFileException(
                path, "unsupported layout version: version=" + version + " supported=" + LAYOUT_VERSION);
        }
        final int kindCode = buffer.getInt(RING_KIND_OFFSET);
        kind = RingKind.fromCode(kindCode);
        if (kind == null)
        {
            throw new InvalidRingFileException(path, "unknown ring kind: kind=" + kindCode);
        }
        if (expectedKind != null && kind != expectedKind)
        {
            throw new InvalidRingFileException(path, "ring kind mismatch: expected=" + expectedKind + " actual=" + kind);
        }
        capacity = buffer.getInt(CAPACITY_OFFSET);
        maxMessageLength = buffer.getInt(MAX_MESSAGE_LENGTH_OFFSET);
        producerSlots = buffer.getInt(PRODUCER_SLOTS_OFFSET);
        try
        {
            checkCapacity(capacity);
            checkMaxMessageLength(maxMessageLength, capacity);
            checkProducerSlots(producerSlots);
            if (kind == RingKind.MPSC && producerSlots < 1)
            {
                throw new IllegalArgumentException("an MPSC ring needs at least 1 producer slot: producerSlots=" + producerSlots);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRingFileException(path, "bad header: " + ex.getMessage());
        }
        final int wakeMechanismCode = buffer.getInt(WAKE_MECHANISM_OFFSET);
        wakeMechanism = WakeMechanism.fromCode(wakeMechanismCode);
        if (wakeMechanism == null)
        {
            throw new InvalidRingFileException(path, "unknown wake mechanism: wakeMechanism=" + wakeMechanismCode);
        }
        final long dataStart = buffer.getLong(DATA_START_OFFSET);
        if (dataStart != dataStart(producerSlots))
        {
            throw new InvalidRingFileException(path,
                "bad header: dataStart=" + dataStart + " expected=" + dataStart(producerSlots));
        }
        final long headerFileLength = buffer.getLong(FILE_LENGTH_OFFSET);
        if (headerFileLength != fileLength(capacity, producerSlots))
        {
            throw new InvalidRingFileException(path, "bad header: fileLength=" + headerFileLength +
                " expected=" + fileLength(capacity, producerSlots));
        }
        if (region.length() < headerFileLength)
        {
            throw new InvalidRingFileException(path,
                "file shorter than its header says (truncated?): length=" + region.length() + " header=" + headerFileLength);
        }
        creatorPid = buffer.getLong(CREATOR_PID_OFFSET);
        creatorStartTimeMs = buffer.getLong(CREATOR_START_TIME_OFFSET);
        creationTimeMs = buffer.getLong(CREATION_TIME_OFFSET);
        data = new UnsafeBuffer(region.address() + dataStart, capacity);
    }

    /**
     * Create a ring file, mode 0600. The header and the wake lines (semaphores initialised when the
     * config asks for them) are complete before the magic is published, so a process opening it
     * concurrently sees either "not initialised" or a whole ring.
     *
     * @param path   file to create; must not exist.
     * @param config kind, capacity, max message length, producer slots, wake mechanism.
     * @return the open ring file.
     * @throws UnsupportedOperationException if the wake mechanism needs native calls unavailable here.
     */
    public static RingFile create(final Path path, final RingConfig config)
    {
        FrameDescriptor.checkNativeByteOrder();
        return initialise(MappedRegion.create(path, config.fileLength()), config);
    }

    /**
     * Lay a ring out in direct memory of this process, with no file behind it: the same layout and code
     * as a file ring, for rings shared only by threads (JCStress tests, JMH benchmarks).
     *
     * @param config kind, capacity, max message length, producer slots.
     * @return the ring; {@link #path()} is null.
     */
    public static RingFile allocateDirect(final RingConfig config)
    {
        FrameDescriptor.checkNativeByteOrder();
        return initialise(MappedRegion.allocateDirect(config.fileLength()), config);
    }

    private static RingFile initialise(final MappedRegion region, final RingConfig config)
    {
        try
        {
            final AtomicBuffer header = region.buffer();
            header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            header.putInt(RING_KIND_OFFSET, config.kind().code());
            header.putInt(CAPACITY_OFFSET, config.capacity());
            header.putInt(MAX_MESSAGE_LENGTH_OFFSET, config.maxMessageLength());
            header.putInt(PRODUCER_SLOTS_OFFSET, config.producerSlots());
            header.putInt(WAKE_MECHANISM_OFFSET, config.wakeMechanism().code());
            Eventcount.initializeLine(config.wakeMechanism(), header, NOT_EMPTY_WAKE_OFFSET);
            Eventcount.initializeLine(config.wakeMechanism(), header, NOT_FULL_WAKE_OFFSET);
            header.putLong(DATA_START_OFFSET, dataStart(config.producerSlots()));
            header.putLong(FILE_LENGTH_OFFSET, config.fileLength());
            header.putLong(CREATOR_PID_OFFSET, ProcessIdentity.currentPid());
            header.putLong(CREATOR_START_TIME_OFFSET, ProcessIdentity.currentStartTimeMs());
            header.putLong(CREATION_TIME_OFFSET, System.currentTimeMillis());
            header.putLongRelease(MAGIC_OFFSET, MAGIC); // release: whoever sees the magic sees every field above
            return new RingFile(region, config.kind());
        }
        catch (final RuntimeException ex)
        {
            region.close();
            region.delete();
            throw ex;
        }
    }

    /**
     * Open an existing ring file of any kind.
     *
     * @param path the file.
     * @return the open, validated ring file.
     * @throws InvalidRingFileException if the file is not a usable ring.
     */
    public static RingFile open(final Path path)
    {
        return open(path, null);
    }

    /**
     * Open an existing ring file and insist on its kind.
     *
     * @param path         the file.
     * @param expectedKind the kind the caller will use it as, or null for any.
     * @return the open, validated ring file.
     * @throws InvalidRingFileException if the file is not a usable ring of that kind.
     * @throws IllegalStateException    if the file does not exist.
     */
    public static RingFile open(final Path path, final RingKind expectedKind)
    {
        FrameDescriptor.checkNativeByteOrder();
        final long length = fileSize(path);
        final long minLength = fileLength(MIN_CAPACITY, 0);
        if (length < minLength)
        {
            throw InvalidRingFileException.tooShort(path, length, minLength);
        }
        final MappedRegion region = MappedRegion.open(path);
        try
        {
            final RingFile file = new RingFile(region, expectedKind);
            region.prefault(0, region.length()); // only now: the length was validated against the header
            return file;
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
    }

    private static long fileSize(final Path path)
    {
        try
        {
            return Files.size(path);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no such ring file: path=" + path, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read ring file: path=" + path, ex);
        }
    }

    /**
     * @return the file, or null for a ring made by {@link #allocateDirect}.
     */
    public Path path()
    {
        return region.path();
    }

    /**
     * @return SPSC or MPSC.
     */
    public RingKind kind()
    {
        return kind;
    }

    /**
     * @return data bytes.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return largest payload accepted.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return entries in the producer table.
     */
    public int producerSlots()
    {
        return producerSlots;
    }

    /**
     * @return how blocked producers and consumers of this ring are woken.
     */
    public WakeMechanism wakeMechanism()
    {
        return wakeMechanism;
    }

    /**
     * @return pid of the process that created the file.
     */
    public long creatorPid()
    {
        return creatorPid;
    }

    /**
     * @return start time (epoch ms) of the process that created the file.
     */
    public long creatorStartTimeMs()
    {
        return creatorStartTimeMs;
    }

    /**
     * @return when the file was created (epoch ms).
     */
    public long creationTimeMs()
    {
        return creationTimeMs;
    }

    /**
     * @return the whole file; control fields are at the {@code *_OFFSET}s of {@link RingDescriptor}.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the data region alone: index 0 is the first data byte.
     */
    public UnsafeBuffer data()
    {
        return data;
    }

    /**
     * @return the virtual address of file offset 0 in this process, for native wakeups.
     */
    public long address()
    {
        return region.address();
    }

    /**
     * @return bytes ever published by producers (the tail position).
     */
    public long producerPosition()
    {
        return buffer.getLongAcquire(TAIL_OFFSET); // acquire: a reader may go on to read what it covers
    }

    /**
     * @return bytes ever consumed (the head position).
     */
    public long consumerPosition()
    {
        return buffer.getLongAcquire(HEAD_OFFSET); // acquire: pairs with the consumer's release
    }

    /**
     * @return bytes between head and tail, padding and headers included; a consistent snapshot.
     */
    public int size()
    {
        long headAfter = consumerPosition();
        long headBefore;
        long tail;
        do
        {
            headBefore = headAfter;
            tail = producerPosition();
            headAfter = consumerPosition();
        }
        while (headAfter != headBefore);
        return (int)Math.max(0, Math.min(capacity, tail - headAfter));
    }

    /**
     * @return the consumer's last heartbeat (epoch ms), 0 if it never ran.
     */
    public long consumerHeartbeatMs()
    {
        return buffer.getLongOpaque(CONSUMER_HEARTBEAT_OFFSET); // opaque: a recent value is enough for liveness
    }

    /**
     * @return pid of the attached consumer, 0 if none.
     */
    public long consumerPid()
    {
        return buffer.getLongAcquire(CONSUMER_PID_OFFSET); // acquire: pairs with the attach CAS
    }

    /**
     * @return claims turned into padding because their producer died.
     */
    public long recoveredClaims()
    {
        return buffer.getLongAcquire(RECOVERED_CLAIMS_OFFSET); // acquire: pairs with the recovery's increment
    }

    /**
     * @return true once {@link #close()} has run.
     */
    public boolean isClosed()
    {
        return region.isClosed();
    }

    /**
     * Unmap the file. Producers and consumers built on it must not be used afterwards; those that
     * write from a background thread (the MPSC producer's heartbeat) are closed first.
     */
    @Override
    public void close()
    {
        final Runnable[] actions;
        synchronized (closeActions)
        {
            actions = closeActions.toArray(new Runnable[0]);
            closeActions.clear();
        }
        for (final Runnable action : actions)
        {
            action.run();
        }
        region.close();
    }

    /**
     * @param action run by {@link #close()} before the file is unmapped.
     */
    void addCloseAction(final Runnable action)
    {
        synchronized (closeActions)
        {
            closeActions.add(action);
        }
    }

    /**
     * @param action an action given to {@link #addCloseAction}, no longer needed.
     */
    void removeCloseAction(final Runnable action)
    {
        synchronized (closeActions)
        {
            closeActions.remove(action);
        }
    }

    /**
     * Remove the file from its directory; mappings stay valid until closed.
     *
     * @return true if this call deleted it.
     */
    public boolean delete()
    {
        return region.delete();
    }

    @Override
    public String toString()
    {
        return "RingFile{path=" + path() + ", kind=" + kind + ", capacity=" + capacity +
            ", maxMessageLength=" + maxMessageLength + ", producerSlots=" + producerSlots + ", wakeMechanism=" + wakeMechanism + '}';
    }
}
