package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.NotFoundException;
import io.shmring.core.ClosedException;
import io.shmring.core.FileAccess;
import io.shmring.core.internal.CreationTemporaries;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.InsecureFileException;
import io.shmring.core.internal.MappedRegion;
import io.shmring.ringbuffer.internal.LinuxHost;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.internal.PartyRecord;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.sync.Eventcount;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.internal.RingDescriptor.*;

/**
 * A mapped ring file whose header has been validated: the shared state under a ring's producers
 * and consumer. Opening checks magic, version, kind, capacity, max message length, producer
 * slots and file length before any byte past the header is touched, so a bad file is an
 * {@link InvalidRingFileException} and never a crash.
 * <p>
 * Creating writes the whole file under a temporary name and then links it into place in one step, so
 * nobody ever opens a half-made ring, and a creator that fails or dies leaves nothing at the path.
 * <p>
 * <b>Who may use a ring file.</b> Whoever can write a ring file can read every message in it and inject
 * messages, so a process about to produce or consume uses an existing file only if it passes
 * {@link FileAccess}: this user's, mode 0600 or stricter, not a symbolic link, in directories nobody else can
 * replace it in ({@link #open}, {@link #openOrCreate}); refused, it is an {@link InsecureFileException} and the file
 * was not opened. A {@code sharedGroup} shares rings between accounts of one group: files made get that group and
 * mode 0660 before they are linked into place, and an existing file may give that group access and belong to
 * another user if its owning group is that group. {@link #openReadOnly} opens any ring the process may open, whoever
 * owns it, to read it (as {@code shmring stat} does); no producer or consumer can attach to what it returns.
 * <p>
 * Closing closes the producers and consumers still open on it (every later call on them throws
 * {@link ClosedException}); it unmaps the file at once only when every end was closed before and none
 * may be in use by another thread (no MPSC producer, which threads share, and no end a thread ever waited on: a
 * thread asleep in {@code take} or a timed offer may be woken only by that close), and otherwise leaves the unmapping
 * to the garbage collector, so a thread still inside a call never touches unmapped memory.
 * Thread-safe.
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
    private final int consumerSlots;
    private final BroadcastPolicy broadcastPolicy;
    private final long stallTimeoutMs;
    private final WakeMechanism wakeMechanism;
    private final int layoutVersion;
    private final WakeProtocol wakeProtocol;
    private final long creatorPid;
    private final long creatorStartTimeMs;
    private final long creationTimeMs;
    /** Why ends stop when their file shrinks while mapped (a truncation: touching the lost pages raises SIGBUS). */
    static final String SHRANK = "the file shrank while mapped (truncated by another process; unsupported)";

    /** Reads of head, tail and head again before {@link #size()} settles for what it saw. */
    private static final int SNAPSHOT_ATTEMPTS = 64;

    /** Ends (producers, consumers) open on this file; guarded by itself. */
    private final List<EndLifecycle> ends = new ArrayList<>();
    /**
     * True once an end that threads may share (an MPSC producer) was attached, or a thread waited on an end (another
     * thread may close it under the waiter): close never unmaps at once.
     */
    private boolean sharedEndAttached;
    private boolean closed;
    private boolean createdHere;

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
        layoutVersion = buffer.getInt(LAYOUT_VERSION_OFFSET);
        wakeProtocol = RingDescriptor.wakeProtocol(layoutVersion);
        if (wakeProtocol == null)
        {
            throw new InvalidRingFileException(path, "unsupported layout version: version=" + layoutVersion +
                " supported=" + LAYOUT_VERSION_FENCED + "," + LAYOUT_VERSION_MEMBARRIER);
        }
        final int kindCode = buffer.getInt(RING_KIND_OFFSET);
        kind = RingKind.fromCode(kindCode);
        if (kind == null)
        {
            throw new InvalidRingFileException(path, "unknown ring kind: kind=" + kindCode);
        }
        if (expectedKind != null && kind != expectedKind)
        {
            throw new IncompatibleRingException(path, "kind", kind, expectedKind, "the caller", "");
        }
        capacity = buffer.getInt(CAPACITY_OFFSET);
        maxMessageLength = buffer.getInt(MAX_MESSAGE_LENGTH_OFFSET);
        producerSlots = buffer.getInt(PRODUCER_SLOTS_OFFSET);
        consumerSlots = buffer.getInt(BroadcastDescriptor.CONSUMER_SLOTS_OFFSET);
        final int policyCode = buffer.getInt(BroadcastDescriptor.POLICY_OFFSET);
        stallTimeoutMs = buffer.getLong(BroadcastDescriptor.STALL_TIMEOUT_OFFSET);
        try
        {
            checkCapacity(capacity);
            checkMaxMessageLength(maxMessageLength, capacity);
            checkProducerSlots(producerSlots);
            if (kind == RingKind.MPSC && producerSlots < 1)
            {
                throw new IllegalArgumentException("an MPSC ring needs at least 1 producer slot: producerSlots=" + producerSlots);
            }
            BroadcastDescriptor.checkHeader(kind, producerSlots, consumerSlots, policyCode, stallTimeoutMs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRingFileException(path, "bad header: " + ex.getMessage());
        }
        broadcastPolicy = BroadcastPolicy.fromCode(policyCode);
        final int tableSlots = producerSlots + consumerSlots; // one of the two is 0 (checked above)
        final int wakeMechanismCode = buffer.getInt(WAKE_MECHANISM_OFFSET);
        wakeMechanism = WakeMechanism.fromCode(wakeMechanismCode);
        if (wakeMechanism == null)
        {
            throw new InvalidRingFileException(path, "unknown wake mechanism: wakeMechanism=" + wakeMechanismCode);
        }
        final long dataStart = buffer.getLong(DATA_START_OFFSET);
        if (dataStart != dataStart(tableSlots))
        {
            throw new InvalidRingFileException(path,
                "bad header: dataStart=" + dataStart + " expected=" + dataStart(tableSlots));
        }
        final long headerFileLength = buffer.getLong(FILE_LENGTH_OFFSET);
        if (headerFileLength != fileLength(capacity, tableSlots))
        {
            throw new InvalidRingFileException(path, "bad header: fileLength=" + headerFileLength +
                " expected=" + fileLength(capacity, tableSlots));
        }
        if (region.length() < headerFileLength)
        {
            throw InvalidRingFileException.shorterThanHeader(path, region.length(), headerFileLength);
        }
        creatorPid = buffer.getLong(CREATOR_PID_OFFSET);
        creatorStartTimeMs = buffer.getLong(CREATOR_START_TIME_OFFSET);
        creationTimeMs = buffer.getLong(CREATION_TIME_OFFSET);
        data = region.slice((int)dataStart, capacity); // a view that keeps the mapping reachable while ends hold it
    }

    /**
     * Create a ring file for this user only, mode 0600: {@link #create(Path, RingConfig, Integer)} with no group.
     *
     * @param path   file to create; must not exist.
     * @param config kind, capacity, max message length, producer slots, wake mechanism.
     * @return the open ring file.
     * @throws io.shmring.core.AlreadyExistsException if the path exists.
     * @throws InsecureFileException         if a directory above the path lets another user replace the file.
     * @throws java.io.UncheckedIOException  on an I/O failure (such as ENOSPC); nothing is left behind.
     * @throws UnsupportedOperationException if the wake mechanism needs native calls unavailable here.
     */
    public static RingFile create(final Path path, final RingConfig config)
    {
        return create(path, config, null);
    }

    /**
     * Create a ring file, mode 0600, or with {@code sharedGroup} that owning group and mode 0660. The directories
     * above the path are checked first ({@link FileAccess#checkDirectories}). The file is made under a temporary
     * name in the same directory ({@code .<name>.<pid>.<hex>.creating}, mode 0600), given its group and mode,
     * sized and zero-filled, its header and wake lines (semaphores initialised when the config asks for them)
     * written and the magic published, and only then is it linked at {@code path}, atomically and without
     * replacing anything; if any step fails the temporary file is deleted.
     * The header gets the layout version of the config's wake protocol: 2 by default (publishers fence), 3 for
     * {@link io.shmring.sync.WakeProtocol#MEMBARRIER} (its sleepers issue membarrier; docs/LAYOUT.md 2.1).
     *
     * @param path        file to create; must not exist.
     * @param config      kind, capacity, max message length, producer slots, wake mechanism.
     * @param sharedGroup gid of the group to share the ring with (see {@link FileAccess#lookupGroup}), or null for
     *                    this user only.
     * @return the open ring file.
     * @throws io.shmring.core.AlreadyExistsException if the path exists.
     * @throws InsecureFileException         if a directory above the path lets a user it does not trust replace the
     *                                       file (nothing was created).
     * @throws java.io.UncheckedIOException  on an I/O failure (such as ENOSPC, or a group this user may not give
     *                                       files); nothing is left behind.
     * @throws UnsupportedOperationException if the wake mechanism needs native calls unavailable here.
     */
    public static RingFile create(final Path path, final RingConfig config, final Integer sharedGroup)
    {
        FrameDescriptor.checkNativeByteOrder();
        FileAccess.checkDirectories(path, sharedGroup);
        final MappedRegion region = MappedRegion.createToPublish(path, config.fileLength());
        try
        {
            FileAccess.restrict(region.path(), sharedGroup); // the temporary name: nobody else can open it yet
        }
        catch (final RuntimeException ex)
        {
            region.close();
            region.delete();
            throw ex;
        }
        final RingFile file = initialise(region, config);
        try
        {
            region.publish();
            file.createdHere = true;
            return file;
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
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
            header.putInt(LAYOUT_VERSION_OFFSET, RingDescriptor.layoutVersion(config.wakeProtocol()));
            header.putInt(RING_KIND_OFFSET, config.kind().code());
            header.putInt(CAPACITY_OFFSET, config.capacity());
            header.putInt(MAX_MESSAGE_LENGTH_OFFSET, config.maxMessageLength());
            header.putInt(PRODUCER_SLOTS_OFFSET, config.producerSlots());
            header.putInt(WAKE_MECHANISM_OFFSET, config.wakeMechanism().code());
            if (config.broadcast() != null)
            {
                header.putInt(BroadcastDescriptor.CONSUMER_SLOTS_OFFSET, config.broadcast().consumerSlots());
                header.putInt(BroadcastDescriptor.POLICY_OFFSET, config.broadcast().policy().code());
                header.putLong(BroadcastDescriptor.STALL_TIMEOUT_OFFSET, config.broadcast().stallTimeoutMs());
                for (int slot = 0; slot < config.broadcast().consumerSlots(); slot++)
                {
                    header.putLong(BroadcastDescriptor.consumerSlotOffset(slot) + BroadcastDescriptor.SLOT_POSITION_OFFSET,
                        BroadcastDescriptor.NOT_READING);
                }
            }
            Eventcount.initializeLine(config.wakeMechanism(), header, NOT_EMPTY_WAKE_OFFSET);
            Eventcount.initializeLine(config.wakeMechanism(), header, NOT_FULL_WAKE_OFFSET);
            header.putLong(DATA_START_OFFSET, dataStart(config.producerSlots() + config.consumerSlots()));
            header.putLong(FILE_LENGTH_OFFSET, config.fileLength());
            header.putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(CREATOR_START_TIME_OFFSET, ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L));
            header.putLong(CREATION_TIME_OFFSET, System.currentTimeMillis());
            header.putLongRelease(MAGIC_OFFSET, MAGIC); // release: whoever sees the magic sees every field above
            return new RingFile(region, config.kind());
        }
        catch (final RuntimeException | Error ex)
        {
            region.close();
            region.delete();
            throw ex;
        }
    }

    /**
     * Open or create a ring file for this user only: {@link #openOrCreate(Path, RingConfig, Integer, long, TimeUnit)}
     * with no group.
     *
     * @param path    the ring file.
     * @param config  what to create if it is absent.
     * @param timeout how long to wait for a file being created by another process.
     * @param unit    unit of {@code timeout}.
     * @return the open ring file; {@link #createdHere()} tells whether this call made it.
     * @throws InsecureFileException    if an existing file is not this user's, gives its group or other users
     *                                  access, or is a symbolic link, or a directory above the path lets another
     *                                  user replace the file (nothing was read or written).
     * @throws InvalidRingFileException if the file is not a ring, or still looks half made after the timeout.
     * @throws java.io.UncheckedIOException on an I/O failure creating it.
     */
    public static RingFile openOrCreate(final Path path, final RingConfig config, final long timeout, final TimeUnit unit)
    {
        return openOrCreate(path, config, null, timeout, unit);
    }

    /**
     * Open the ring file at {@code path}, or create it with {@code config} if there is none, safely when several
     * processes do so at once: one creates (atomically, see {@link #create(Path, RingConfig, Integer)}), the others
     * open what it made. An existing file is used only if it passes {@link FileAccess} for {@code sharedGroup}, as
     * in {@link #open(Path, RingKind, Integer)}. A file that looks half made (too short, magic still zero: a creator
     * of another implementation writing it in place) is waited for up to {@code timeout}, re-mapped each time; one
     * whose creator is provably gone (no process holds its creation lock and it has not changed for a second) is
     * deleted and created anew. An existing ring is returned as it is, whatever it differs in: compare its kind,
     * capacity and the rest with what you need, or call {@link #openOrCreateMatching} instead.
     *
     * @param path        the ring file.
     * @param config      what to create if it is absent.
     * @param sharedGroup gid of the group the ring is shared with, or null for this user only.
     * @param timeout     how long to wait for a file being created by another process.
     * @param unit        unit of {@code timeout}.
     * @return the open ring file; {@link #createdHere()} tells whether this call made it.
     * @throws InsecureFileException    if an existing file, or a directory above the path, is refused (see
     *                                  {@link #open(Path, RingKind, Integer)}); nothing was read or written.
     * @throws InvalidRingFileException if the file is not a ring, or still looks half made after the timeout
     *                                  (the message says which: too short, magic zero, shorter than its header).
     * @throws java.io.UncheckedIOException on an I/O failure creating it (such as a group this user may not give
     *                                  files).
     */
    public static RingFile openOrCreate(
        final Path path, final RingConfig config, final Integer sharedGroup, final long timeout, final TimeUnit unit)
    {
        return RingFileOpener.openOrCreate(path, config, sharedGroup, unit.toNanos(timeout));
    }

    /**
     * Open or create a ring file for this user only, refusing an existing ring that differs from {@code config}:
     * {@link #openOrCreateMatching(Path, RingConfig, Integer, long, TimeUnit)} with no group.
     *
     * @param path    the ring file.
     * @param config  what to create if it is absent, and what an existing file must be.
     * @param timeout how long to wait for a file being created by another process.
     * @param unit    unit of {@code timeout}.
     * @return the open ring file; {@link #createdHere()} tells whether this call made it.
     * @throws IncompatibleRingException if an existing ring differs from {@code config}, naming the first field that
     *                                   does; it was closed again, unchanged.
     * @throws InsecureFileException     as {@link #openOrCreate(Path, RingConfig, long, TimeUnit)}.
     * @throws InvalidRingFileException  as {@link #openOrCreate(Path, RingConfig, long, TimeUnit)}.
     * @throws java.io.UncheckedIOException on an I/O failure creating it.
     */
    public static RingFile openOrCreateMatching(
        final Path path, final RingConfig config, final long timeout, final TimeUnit unit)
    {
        return openOrCreateMatching(path, config, null, timeout, unit);
    }

    /**
     * {@link #openOrCreate(Path, RingConfig, Integer, long, TimeUnit)}, then, if the ring existed, compare it with
     * {@code config}: kind, capacity, max message length, producer slots, wake mechanism and, for a broadcast ring,
     * consumer slots, policy and stall timeout must all be what the config says. What two processes sharing a ring
     * should call, so the one that comes second learns of a ring left at the path with other settings instead of
     * using it as it is.
     *
     * @param path        the ring file.
     * @param config      what to create if it is absent, and what an existing file must be.
     * @param sharedGroup gid of the group the ring is shared with, or null for this user only.
     * @param timeout     how long to wait for a file being created by another process.
     * @param unit        unit of {@code timeout}.
     * @return the open ring file; {@link #createdHere()} tells whether this call made it.
     * @throws IncompatibleRingException if an existing ring differs from {@code config}: {@link
     *                                   IncompatibleRingException#field()} names the first field that does
     *                                   ({@code kind}, {@code capacity}, {@code maxMessageLength},
     *                                   {@code producerSlots}, {@code wakeMechanism}, {@code consumers},
     *                                   {@code policy}, {@code stallTimeoutMs}); it was closed again, unchanged.
     * @throws InsecureFileException     as {@link #openOrCreate(Path, RingConfig, Integer, long, TimeUnit)}.
     * @throws InvalidRingFileException  as {@link #openOrCreate(Path, RingConfig, Integer, long, TimeUnit)}.
     * @throws java.io.UncheckedIOException on an I/O failure creating it.
     */
    public static RingFile openOrCreateMatching(
        final Path path, final RingConfig config, final Integer sharedGroup, final long timeout, final TimeUnit unit)
    {
        final RingFile file = openOrCreate(path, config, sharedGroup, timeout, unit);
        if (!file.createdHere)
        {
            try
            {
                file.checkMatches(config);
            }
            catch (final RuntimeException ex)
            {
                file.close();
                throw ex;
            }
        }
        return file;
    }

    private void checkMatches(final RingConfig config)
    {
        requireEqual("kind", kind, config.kind());
        requireEqual("capacity", capacity, config.capacity());
        requireEqual("maxMessageLength", maxMessageLength, config.maxMessageLength());
        requireEqual("producerSlots", producerSlots, config.producerSlots());
        requireEqual("wakeMechanism", wakeMechanism, config.wakeMechanism());
        if (config.broadcast() != null) // same kind: this ring is a broadcast ring too
        {
            requireEqual("consumers", consumerSlots, config.broadcast().consumerSlots());
            requireEqual("policy", broadcastPolicy, config.broadcast().policy());
            requireEqual("stallTimeoutMs", stallTimeoutMs, config.broadcast().stallTimeoutMs());
        }
    }

    private void requireEqual(final String field, final Object actual, final Object expected)
    {
        if (!actual.equals(expected))
        {
            throw new IncompatibleRingException(path(), field, actual, expected, "the caller's RingConfig", "");
        }
    }

    /**
     * @return true if this process created the file (by {@link #create} or {@link #openOrCreate}).
     */
    public boolean createdHere()
    {
        return createdHere;
    }

    /**
     * Open an existing ring file of any kind, this user's only: {@link #open(Path, RingKind, Integer)} with neither
     * kind nor group.
     *
     * @param path the file.
     * @return the open, validated ring file.
     * @throws InsecureFileException    if the file is not this user's, gives its group or other users access, or is
     *                                  a symbolic link, or a directory above it lets another user replace it.
     * @throws InvalidRingFileException if the file is not a usable ring.
     * @throws NotFoundException        if the file does not exist.
     */
    public static RingFile open(final Path path)
    {
        return open(path, null, null);
    }

    /**
     * Open an existing ring file, this user's only, and insist on its kind: {@link #open(Path, RingKind, Integer)}
     * with no group.
     *
     * @param path         the file.
     * @param expectedKind the kind the caller will use it as, or null for any.
     * @return the open, validated ring file.
     * @throws InsecureFileException    if the file is not this user's, gives its group or other users access, or is
     *                                  a symbolic link, or a directory above it lets another user replace it.
     * @throws InvalidRingFileException if the file is not a usable ring, or not a regular file at all
     *                                  (a directory, FIFO, socket or device: the message says which).
     * @throws IncompatibleRingException if it is a ring of another kind (field {@code kind}).
     * @throws NotFoundException        if the file does not exist.
     */
    public static RingFile open(final Path path, final RingKind expectedKind)
    {
        return open(path, expectedKind, null);
    }

    /**
     * Open an existing ring file to produce or consume, if its owner and mode let nobody else read or write it
     * ({@link FileAccess#checkOwnerAndMode}): it must belong to this process's effective uid (root too gets no
     * exception) with mode 0600 or stricter, or, with {@code sharedGroup}, may also give that group access and belong
     * to another user if its owning group is that group; it must not be a symbolic link, and no directory above it
     * may let a user it does not trust replace it (so the file checked is the file mapped). Then it is mapped and
     * validated.
     *
     * @param path         the file.
     * @param expectedKind the kind the caller will use it as, or null for any.
     * @param sharedGroup  gid of the group the ring is shared with (see {@link FileAccess#lookupGroup}), or null for
     *                     this user only.
     * @return the open, validated ring file.
     * @throws InsecureFileException    if the file or a directory above it is refused: the message names the path,
     *                                  its owner, group and mode, and what was expected; the file was not opened.
     * @throws InvalidRingFileException if the file is not a usable ring.
     * @throws IncompatibleRingException if it is a ring of another kind (field {@code kind}).
     * @throws NotFoundException        if the file does not exist.
     * @throws java.io.UncheckedIOException if the file or a directory above it cannot be examined or mapped.
     */
    public static RingFile open(final Path path, final RingKind expectedKind, final Integer sharedGroup)
    {
        FrameDescriptor.checkNativeByteOrder();
        fileSize(path); // a directory, FIFO, socket or device is named for what it is, before the owner check refuses it
        checkAccess(path, sharedGroup);
        return map(path, expectedKind, false);
    }

    /**
     * Open an existing ring file read-only, to inspect it, whoever owns it and whatever its mode (the operating system
     * still decides whether this process may read it; read permission is enough): what an operator or a monitoring
     * account uses, as {@code shmring stat}, {@code list} and {@code clean} do. It is validated as by
     * {@link #open(Path, RingKind, Integer)}, every value read is checked before it is trusted, and nothing is ever
     * stored into it: no producer or consumer can attach ({@link SpscProducer}, {@link SpscConsumer},
     * {@link MpscProducer} and {@link MpscConsumer} throw {@link IllegalStateException}), nor can {@link #delete()},
     * {@link #deleteIfIdle()} or {@link #deleteIfAbandoned(boolean)} run (a store into a read-only mapping would kill
     * the JVM).
     *
     * @param path the file (a symbolic link is followed).
     * @return the open, validated ring file.
     * @throws InvalidRingFileException if the file is not a usable ring.
     * @throws NotFoundException        if the file does not exist.
     * @throws UncheckedIOException     if it cannot be read (such as no read permission).
     */
    public static RingFile openReadOnly(final Path path)
    {
        FrameDescriptor.checkNativeByteOrder();
        return map(path, null, true);
    }

    private static void checkAccess(final Path path, final Integer sharedGroup)
    {
        try
        {
            FileAccess.checkOwnerAndMode(path, sharedGroup);
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof NoSuchFileException && !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                throw new NotFoundException(path, "ring file", ex);
            }
            throw ex;
        }
    }

    private static RingFile map(final Path path, final RingKind expectedKind, final boolean readOnly)
    {
        final long length = fileSize(path);
        final long minLength = fileLength(MIN_CAPACITY, 0);
        if (length < minLength)
        {
            throw InvalidRingFileException.tooShort(path, length, minLength);
        }
        final MappedRegion region = readOnly ? MappedRegion.openReadOnly(path) : MappedRegion.open(path);
        try
        {
            final RingFile file = new RingFile(region, expectedKind);
            prefault(region); // only now: the length was validated against the header
            return file;
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
    }

    /**
     * Back and touch every page now, so a page that cannot be backed is an exception here rather than a fault later: a
     * sparse file (a creator may size a ring without writing it) on a full tmpfs, or a file that shrank since it was
     * mapped. The JVM turns a fault in a Java read of mapped memory into an {@link InternalError} it throws late, at
     * some later call; one in native code or in an atomic instruction kills it. So the holes are allocated first
     * ({@code fallocate}, which fails with ENOSPC), and the reads then only map pages that exist.
     */
    private static void prefault(final MappedRegion region)
    {
        // read-only: holes read as zeros and cannot be allocated without write access
        final int errno = region.isReadOnly() ? FileSpace.ALLOCATED : FileSpace.allocate(region.path(), region.length());
        if (errno != FileSpace.ALLOCATED)
        {
            throw new InvalidRingFileException(region.path(), "a page of the file cannot be backed (a sparse file on a " +
                "full file system?): fallocate errno=" + errno);
        }
        try
        {
            region.prefault(0, region.length());
        }
        catch (final InternalError ex)
        {
            throw new InvalidRingFileException(region.path(), "a page of the file cannot be mapped (a sparse file on a full " +
                "tmpfs, or the file shrank while being opened): " + ex.getMessage());
        }
    }

    private static long fileSize(final Path path)
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class); // follows links
            if (!attributes.isRegularFile())
            {
                throw new InvalidRingFileException(path, "not a ring file: it is " + whatItIs(path, attributes));
            }
            return attributes.size();
        }
        catch (final NoSuchFileException ex)
        {
            throw new NotFoundException(path, "ring file", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read ring file: path=" + path, ex);
        }
    }

    private static String whatItIs(final Path path, final BasicFileAttributes attributes)
    {
        if (attributes.isDirectory())
        {
            return "a directory";
        }
        try
        {
            final Object mode = Files.getAttribute(path, "unix:mode");
            switch (((Integer)mode) & 0xF000) // S_IFMT
            {
                case 0x1000: return "a FIFO (named pipe)";
                case 0xC000: return "a socket";
                case 0x2000: return "a character device";
                case 0x6000: return "a block device";
                default: return "not a regular file";
            }
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException ex)
        {
            return "not a regular file";
        }
    }

    /**
     * Delete the temporary files that ring creators in {@code directory} left when they died (SIGKILL, a crash)
     * before publishing their ring: the {@code .<name>.<pid>.<hex>.creating} files of docs/LAYOUT.md section 2.1,
     * which can be as large as the ring they were to become. A file counts as abandoned when no process holds the
     * creation lock its creator holds until it publishes (the kernel drops the lock when the creator dies, in any
     * pid namespace) and it has not been modified for a second; each is deleted while this call holds that lock.
     * Temporary files named by this process's own pid, and files this process may not open for writing, are left.
     * A creator does the same for its own ring's name before it creates (so a later create of the path reclaims what
     * a dead creator left); this method is for an operator's cleanup of a whole directory. Rings, published or not,
     * are never touched. Reads the directory and costs a few system calls per temporary file. Thread-safe.
     *
     * @param directory the directory holding ring files, such as {@code /dev/shm}.
     * @return the temporary files deleted, possibly none.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<Path> removeAbandonedTemporaries(final Path directory)
    {
        return CreationTemporaries.removeAbandoned(directory, null);
    }

    /**
     * The temporary files {@link #removeAbandonedTemporaries} would delete now, judged the same way, without deleting
     * them (an operator's dry run). Thread-safe.
     *
     * @param directory the directory holding ring files, such as {@code /dev/shm}.
     * @return the abandoned temporary files, sorted, possibly none.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<Path> findAbandonedTemporaries(final Path directory)
    {
        return CreationTemporaries.findAbandoned(directory, null);
    }

    /**
     * @return the file, or null for a ring made by {@link #allocateDirect}.
     */
    public Path path()
    {
        return region.path();
    }

    /**
     * @return SPSC, MPSC or BROADCAST.
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
     * @return entries in a broadcast ring's consumer table; 0 for SPSC and MPSC.
     */
    public int consumerSlots()
    {
        return consumerSlots;
    }

    /**
     * @return a broadcast ring's policy; null for SPSC and MPSC.
     */
    public BroadcastPolicy broadcastPolicy()
    {
        return broadcastPolicy;
    }

    /**
     * @return a lossless broadcast ring's stall timeout in ms (a consumer holding the producer back that long without
     *         moving is dropped); 0 for every other ring.
     */
    public long stallTimeoutMs()
    {
        return stallTimeoutMs;
    }

    /**
     * @return how blocked producers and consumers of this ring are woken.
     */
    public WakeMechanism wakeMechanism()
    {
        return wakeMechanism;
    }

    /**
     * @return the header's layout version: 2, or 3 (version 2 whose sleepers issue membarrier; docs/LAYOUT.md 2.1).
     */
    public int layoutVersion()
    {
        return layoutVersion;
    }

    /**
     * @return what every sleeper on this ring's wake lines does before its last check, as the layout version says.
     */
    public WakeProtocol wakeProtocol()
    {
        return wakeProtocol;
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
     * @throws ClosedException if this file is closed.
     */
    public long producerPosition()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return buffer.getLongAcquire(TAIL_OFFSET); // acquire: a reader may go on to read what it covers
        }
    }

    /**
     * @return bytes ever consumed (the head position).
     * @throws ClosedException if this file is closed.
     */
    public long consumerPosition()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return buffer.getLongAcquire(HEAD_OFFSET); // acquire: pairs with the consumer's release
        }
    }

    /**
     * @return bytes between head and tail, padding and headers included; a consistent snapshot.
     * @throws ClosedException if this file is closed.
     */
    public int size()
    {
        long headAfter = consumerPosition();
        long headBefore;
        long tail;
        int attempts = 0;
        do
        {
            headBefore = headAfter;
            tail = producerPosition();
            headAfter = consumerPosition();
        }
        while (headAfter != headBefore && ++attempts < SNAPSHOT_ATTEMPTS); // bounded: a consumer racing on is still a snapshot
        return (int)Math.max(0, Math.min(capacity, tail - headAfter));
    }

    /**
     * @return claims turned into padding because their producer died.
     * @throws ClosedException if this file is closed.
     */
    public long recoveredClaims()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return buffer.getLongAcquire(RECOVERED_CLAIMS_OFFSET); // acquire: pairs with the recovery's increment
        }
    }

    /**
     * @return true once {@link #close()} has run.
     */
    public boolean isClosed()
    {
        synchronized (ends)
        {
            return closed;
        }
    }

    /**
     * Close the ends still open on this file (as their own {@code close()} would: an SPSC producer ends its
     * stream, every end gives up its role), then unmap the file — at once if every end had been closed before,
     * none was an MPSC producer and no thread ever waited on one, otherwise when the garbage collector finds the mapping unreachable, so another
     * thread still inside a call on an end cannot crash the JVM. Later calls on the ends, and on this file's
     * accessors of shared state, throw {@link ClosedException}. Idempotent; safe from any thread, a shutdown hook included.
     */
    @Override
    public void close()
    {
        final EndLifecycle[] open;
        final boolean unmapNow;
        synchronized (ends)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            open = ends.toArray(new EndLifecycle[0]);
            unmapNow = open.length == 0 && !sharedEndAttached;
        }
        for (final EndLifecycle end : open)
        {
            end.close();
        }
        synchronized (ends)
        {
            // under the lock: no accessor of this file is reading the mapping while it goes
            if (unmapNow)
            {
                region.close();
            }
            else
            {
                region.release();
            }
        }
    }

    /**
     * @return true if opened by {@link #openReadOnly(Path)}: nothing may be stored into this mapping.
     */
    public boolean isReadOnly()
    {
        return region.isReadOnly();
    }

    /**
     * Refuse a store into a read-only mapping before it is tried (it would fault and kill the JVM).
     *
     * @param what what the caller was about to do, for the message.
     * @throws IllegalStateException if this file was opened read-only.
     */
    void checkWritable(final String what)
    {
        if (region.isReadOnly())
        {
            throw new IllegalStateException("ring file was opened read-only (RingFile.openReadOnly), cannot " + what +
                ": path=" + path());
        }
    }

    /**
     * Before an end of one kind of ring is made on this file.
     *
     * @param needed the kind the end works on.
     * @param end    the end's class name, for the message ("SpscConsumer").
     * @return this file.
     * @throws IncompatibleRingException naming the field {@code kind}, if the file is of another kind.
     */
    RingFile requireKind(final RingKind needed, final String end)
    {
        if (kind != needed)
        {
            throw new IncompatibleRingException(path(), "kind", kind, needed, end, "");
        }
        return this;
    }

    /**
     * Register an end just attached; refused once the file is closed.
     *
     * @param end    the end's lifecycle.
     * @param shared true if threads may share the end (an MPSC producer).
     * @throws ClosedException if the file is closed.
     */
    void addEnd(final EndLifecycle end, final boolean shared)
    {
        synchronized (ends)
        {
            if (closed)
            {
                throw new ClosedException("ring file", path());
            }
            ends.add(end);
            sharedEndAttached |= shared;
        }
    }

    /**
     * A thread is about to wait on one of this file's ends (take, timed offer or claim), the first time for that end:
     * another thread may close the end and this file while it waits, so close leaves the unmapping to the garbage
     * collector, which runs it only once the waiter let go of the mapping (a wait wakes within a slice, then throws).
     */
    void markWaitedOn()
    {
        synchronized (ends)
        {
            sharedEndAttached = true;
        }
    }

    /**
     * @param end an end that closed itself.
     */
    void removeEnd(final EndLifecycle end)
    {
        synchronized (ends)
        {
            ends.remove(end);
        }
    }

    /**
     * Before an end attaches.
     *
     * @throws ClosedException if the file is closed.
     * @throws IllegalStateException if the file was opened by {@link #openReadOnly} (its owner and mode
     *                               were not checked, and nothing may be stored into it).
     */
    void checkAttachable()
    {
        checkWritable("attach a producer or consumer (open it with RingFile.open or openOrCreate, which check its " +
            "owner and mode)");
        synchronized (ends)
        {
            checkOpenLocked();
        }
    }

    private void checkOpenLocked()
    {
        if (closed)
        {
            throw new ClosedException("ring file", path());
        }
    }

    /**
     * @param offset file offset of a party record (a role of the ring).
     * @return the record, judged and attached for this machine.
     */
    PartyRecord partyRecord(final int offset)
    {
        return new PartyRecord(buffer, offset, LinuxHost.INSTANCE);
    }

    /**
     * The consumer's party record judged now (docs/LAYOUT.md section 6): who is attached and whether they live.
     * Reads /proc.
     *
     * @return the consumer's status.
     * @throws ClosedException if this file is closed.
     */
    public PartyStatus consumerStatus()
    {
        return judge(CONSUMER_PARTY_OFFSET);
    }

    private PartyStatus judge(final int recordOffset)
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return partyRecord(recordOffset).judge();
        }
    }

    /**
     * @return the SPSC producer's status judged now (always free for an MPSC ring). Reads /proc.
     * @throws ClosedException if this file is closed.
     */
    public PartyStatus producerStatus()
    {
        return judge(PRODUCER_PARTY_OFFSET);
    }

    /**
     * @param slot index in the MPSC producer table.
     * @return the status of the producer registered there, judged now. Reads /proc.
     * @throws IllegalArgumentException if the slot is out of range.
     * @throws ClosedException          if this file is closed.
     */
    public PartyStatus producerSlotStatus(final int slot)
    {
        if (slot < 0 || slot >= producerSlots)
        {
            throw new IllegalArgumentException("slot must be in 0.." + (producerSlots - 1) + ": slot=" + slot);
        }
        return judge(producerSlotOffset(slot) + ProducerSlotDescriptor.PARTY_OFFSET);
    }

    /**
     * @return true if a live producer holds a role of this ring (the SPSC or broadcast producer, or any MPSC slot); a process
     *         in the middle of attaching counts. Reads /proc.
     * @throws ClosedException if this file is closed.
     */
    public boolean hasLiveProducer()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return hasLiveProducerLocked();
        }
    }

    private boolean hasLiveProducerLocked()
    {
        if (kind != RingKind.MPSC)
        {
            return partyRecord(PRODUCER_PARTY_OFFSET).judge().isHeld();
        }
        for (int slot = 0; slot < producerSlots; slot++)
        {
            if (partyRecord(producerSlotOffset(slot) + ProducerSlotDescriptor.PARTY_OFFSET).judge().isHeld())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true if the SPSC producer's role records a pid (alive or not): one read, for end-of-stream checks.
     */
    boolean hasAttachedProducerPid()
    {
        return PartyDescriptor.pid(buffer.getLongVolatile(PRODUCER_PARTY_OFFSET + PartyDescriptor.OWNER_OFFSET)) != 0; // volatile: latest
    }

    /**
     * @return true if the file at the path is this mapping's file and now shorter than the mapping. A stat: not for
     *         hot paths.
     */
    boolean isShorterThanMapped()
    {
        return region.isShorterThanMapped();
    }

    /**
     * What a thread that slept on one of this file's wake lines asks before it touches the line again
     * ({@link io.shmring.sync.MappingCheck}): if the file shrank under the mapping, every end still open on it is marked
     * gone (their next calls throw and touch nothing, as when a heartbeat finds it), and the waiter throws the answer.
     * A {@code stat}: called after a sleep, never on the hot path.
     *
     * @return null while the mapping is whole; else the exception the waiter throws.
     */
    RuntimeException mappingLost()
    {
        if (!region.isShorterThanMapped())
        {
            return null;
        }
        final EndLifecycle[] open;
        synchronized (ends)
        {
            open = ends.toArray(new EndLifecycle[0]);
        }
        for (final EndLifecycle end : open)
        {
            end.onMappingLost();
        }
        return new RingGoneException(path(), SHRANK);
    }

    /**
     * Why producers of this file must stop: it was deleted, its path now names another file, or its consumer
     * retired it. Costs a {@code stat}: the heartbeat timer calls it, not the hot path.
     *
     * @return null while the ring is in place and live, else the reason.
     */
    String goneReason()
    {
        return goneReason(null);
    }

    /**
     * As {@link #goneReason()}, from a stat of the path the caller just made (a heartbeat makes one per beat for
     * both this and the mapping check).
     *
     * @param pathState what {@link #examinePath()} just returned, or null to stat the path here (if not retired).
     * @return null while the ring is in place and live, else the reason.
     */
    String goneReason(final MappedRegion.PathState pathState)
    {
        if (buffer.getIntVolatile(RING_STATE_OFFSET) == RING_RETIRED) // volatile: set by the retiring consumer
        {
            return "retired (deleted as idle or abandoned)";
        }
        if (path() == null)
        {
            return null;
        }
        // UNKNOWN: cannot tell now (e.g. a permission change on the directory): look again at the next beat
        return (pathState != null ? pathState : region.examinePath()) == MappedRegion.PathState.NOT_AT_PATH ?
            "deleted, or replaced by another file" : null;
    }

    /**
     * @return what one stat of the path says about this mapped file ({@link MappedRegion#examinePath()}).
     */
    MappedRegion.PathState examinePath()
    {
        return region.examinePath();
    }

    /**
     * @return true if the path still names this mapped file (a {@code stat}); false for a ring in direct memory, or if
     *         it cannot be told now.
     */
    boolean isStillAtPath()
    {
        if (path() == null)
        {
            return false;
        }
        try
        {
            return region.isStillAtPath();
        }
        catch (final UncheckedIOException ex)
        {
            return false; // cannot tell: taken as gone, as before this check (the caller reopens the path)
        }
    }

    /**
     * Remove the file from its directory now, whatever it holds and whoever is attached: unread messages are
     * lost, producers still attached learn it at their next heartbeat ({@link RingGoneException}). This mapping
     * stays valid until closed. For a deletion that refuses to lose anything, use {@link #deleteIfIdle()}.
     *
     * @return true if this call deleted it.
     * @throws IllegalStateException if this file was opened read-only.
     */
    public boolean delete()
    {
        checkWritable("delete it");
        synchronized (ends)
        {
            if (!closed)
            {
                buffer.putIntVolatile(RING_STATE_OFFSET, RING_RETIRED); // volatile: producers see it with their next beat
            }
        }
        return region.delete();
    }

    /**
     * Delete the file only if nothing can be lost: every message consumed and no live producer attached. The ring is
     * first marked retiring, so a producer attaching at the same moment either is seen here (and the file is kept)
     * or sees the mark (and opens the path anew); see docs/LAYOUT.md section 2.3.
     *
     * @return true if the file was deleted; false if it holds unread messages or a live producer (it is kept,
     *         unchanged), or another process is retiring it.
     * @throws ClosedException       if this file is closed.
     * @throws IllegalStateException if it was opened read-only.
     */
    public boolean deleteIfIdle()
    {
        checkWritable("delete it");
        synchronized (ends)
        {
            checkOpenLocked();
            return deleteIfIdleLocked(false, false);
        }
    }

    /**
     * Delete the file if no process holds a role in it: every party record free or held by a dead process (docs/LAYOUT.md
     * section 6), the consumer's included — the cleanup an operator runs after crashes ({@code shmring clean}). It uses
     * the same retiring protocol as {@link #deleteIfIdle()} (section 2.3), so a process attaching at that moment either is
     * seen (the file is kept) or sees the ring retired and opens the path anew. This handle must hold no end itself.
     *
     * @param evenIfUnread true to delete a ring that still holds unread messages (they are lost); false keeps it.
     * @return true if the file was deleted; false if a role is held, it holds unread messages and {@code evenIfUnread}
     *         is false, or another process is retiring it.
     * @throws ClosedException if this file is closed.
     * @throws IllegalStateException if it was opened read-only.
     */
    public boolean deleteIfAbandoned(final boolean evenIfUnread)
    {
        checkWritable("delete it");
        synchronized (ends)
        {
            checkOpenLocked();
            return deleteIfIdleLocked(true, evenIfUnread);
        }
    }

    private boolean hasHeldRoleLocked()
    {
        return hasLiveProducerLocked() || partyRecord(CONSUMER_PARTY_OFFSET).judge().isHeld() ||
            (kind == RingKind.BROADCAST && new BroadcastSlots(this).anyHeld());
    }

    private boolean deleteIfIdleLocked(final boolean consumerToo, final boolean evenIfUnread)
    {
        if (path() == null || region.isShorterThanMapped())
        {
            return false; // a shrunk file is not touched again (an atomic access past its end kills the JVM)
        }
        // CAS: one retirer at a time; seq_cst, the first half of the Dekker pair with a producer's attach CAS
        if (!buffer.compareAndSetInt(RING_STATE_OFFSET, RING_LIVE, RING_RETIRING))
        {
            return false;
        }
        boolean deleted = false;
        try
        {
            VarHandle.fullFence(); // StoreLoad: the retiring mark is visible before we read the producers' roles
            final boolean held = consumerToo ? hasHeldRoleLocked() : hasLiveProducerLocked();
            if (!held && (evenIfUnread || isDrainedLocked()) && region.isStillAtPath())
            {
                deleted = region.delete();
            }
        }
        finally
        {
            buffer.putIntVolatile(RING_STATE_OFFSET, deleted ? RING_RETIRED : RING_LIVE); // volatile: producers wait on it
        }
        return deleted;
    }

    /**
     * Nothing unread that deleting would lose: SPSC and MPSC, the head has reached the tail; broadcast (whose messages
     * belong to the consumers reading them), no consumer slot is held, and no slot a dead process held still reads
     * behind the tail (docs/LAYOUT.md 7.2). Reads /proc for a broadcast ring.
     */
    private boolean isDrainedLocked()
    {
        if (kind == RingKind.BROADCAST)
        {
            final BroadcastSlots slots = new BroadcastSlots(this);
            return !slots.anyHeld() && !slots.anyUnread(buffer.getLongVolatile(TAIL_OFFSET)); // volatile: latest
        }
        return buffer.getLongVolatile(HEAD_OFFSET) == buffer.getLongVolatile(TAIL_OFFSET); // volatile: latest
    }

    /**
     * A broadcast ring's consumer slot judged now: who holds it, whether they live, where they read, their counters.
     *
     * @param slot index in the consumer table.
     * @return the slot's status. Reads /proc.
     * @throws IllegalArgumentException if the slot is out of range (every slot is, for SPSC and MPSC).
     * @throws ClosedException          if this file is closed.
     */
    public BroadcastSlotStatus consumerSlotStatus(final int slot)
    {
        if (slot < 0 || slot >= consumerSlots)
        {
            throw new IllegalArgumentException("slot must be in 0.." + (consumerSlots - 1) + ": slot=" + slot);
        }
        synchronized (ends)
        {
            checkOpenLocked();
            return new BroadcastSlots(this).status(slot);
        }
    }

    /**
     * The ends' counters now (docs/LAYOUT.md 2.4): works on a read-only handle; reads only, one value at a time.
     *
     * @return the counters, summed over MPSC producer slots.
     * @throws ClosedException if this file is closed.
     */
    public RingCounters counters()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            long messages = 0;
            long bytes = 0;
            long full = 0;
            long wakes = EndCounters.read(buffer, CONSUMER_COUNTERS_OFFSET, EndCounters.WAKE_CALLS_OFFSET);
            if (kind == RingKind.MPSC)
            {
                for (int slot = 0; slot < producerSlots; slot++)
                {
                    final int offset = producerSlotOffset(slot) + ProducerSlotDescriptor.COUNTERS_OFFSET;
                    messages += EndCounters.read(buffer, offset, EndCounters.MESSAGES_OFFSET);
                    bytes += EndCounters.read(buffer, offset, EndCounters.BYTES_OFFSET);
                    wakes += EndCounters.read(buffer, offset, EndCounters.WAKE_CALLS_OFFSET);
                    full += EndCounters.read(buffer, offset, EndCounters.FULL_EVENTS_OFFSET);
                }
            }
            else
            {
                messages = EndCounters.read(buffer, PRODUCER_COUNTERS_OFFSET, EndCounters.MESSAGES_OFFSET);
                bytes = EndCounters.read(buffer, PRODUCER_COUNTERS_OFFSET, EndCounters.BYTES_OFFSET);
                wakes += EndCounters.read(buffer, PRODUCER_COUNTERS_OFFSET, EndCounters.WAKE_CALLS_OFFSET);
                full = EndCounters.read(buffer, PRODUCER_COUNTERS_OFFSET, EndCounters.FULL_EVENTS_OFFSET);
            }
            if (kind == RingKind.BROADCAST)
            {
                long delivered = 0;
                long deliveredBytes = 0;
                for (int slot = 0; slot < consumerSlots; slot++)
                {
                    final int offset = BroadcastDescriptor.consumerSlotOffset(slot);
                    // acquire: pairs with the consumer's release store; a monitor's snapshot, one value at a time
                    delivered += buffer.getLongAcquire(offset + BroadcastDescriptor.SLOT_DELIVERED_OFFSET);
                    deliveredBytes += buffer.getLongAcquire(offset + BroadcastDescriptor.SLOT_DELIVERED_BYTES_OFFSET); // acquire: as above
                }
                return new RingCounters(messages, bytes, delivered, deliveredBytes, wakes, full);
            }
            return new RingCounters(messages, bytes, EndCounters.read(buffer, CONSUMER_COUNTERS_OFFSET, EndCounters.MESSAGES_OFFSET),
                EndCounters.read(buffer, CONSUMER_COUNTERS_OFFSET, EndCounters.BYTES_OFFSET), wakes, full);
        }
    }

    /**
     * @return consumers a lossless broadcast ring's producers dropped (dead, or stalled past the stall timeout), over
     *         the ring's life; 0 for other rings.
     * @throws ClosedException if this file is closed.
     */
    public long droppedConsumers()
    {
        synchronized (ends)
        {
            checkOpenLocked();
            return kind == RingKind.BROADCAST ? buffer.getLongAcquire(BroadcastDescriptor.DROPPED_CONSUMERS_OFFSET) : 0; // acquire: pairs with the producer's count
        }
    }

    @Override
    public String toString()
    {
        return "RingFile{path=" + path() + ", kind=" + kind + ", capacity=" + capacity +
            ", maxMessageLength=" + maxMessageLength + ", producerSlots=" + producerSlots +
            (kind == RingKind.BROADCAST ? ", consumerSlots=" + consumerSlots + ", policy=" + broadcastPolicy +
            ", stallTimeoutMs=" + stallTimeoutMs : "") + ", wakeMechanism=" + wakeMechanism + '}';
    }
}
