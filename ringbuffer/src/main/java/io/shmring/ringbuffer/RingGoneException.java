package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * The ring file a producer writes was deleted, or its path now names another file, so a consumer that opens
 * the path would never see what the producer writes. The producer refuses to publish rather than "succeed"
 * into a file nobody can open again; open the path anew. A consumer of such a file delivers what it still holds,
 * then throws this ({@link #drained}) rather than wait forever for messages that go to the new file.
 */
public final class RingGoneException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the ring file's path.
     * @param reason what was seen ("deleted", "replaced by another file", "retired (deleted as idle or abandoned)").
     */
    public RingGoneException(final Path path, final String reason)
    {
        this(path, "ring file gone (" + reason + "); messages are no longer published", true);
    }

    private RingGoneException(final Path path, final String message, final boolean withPath)
    {
        super(withPath ? message + ": path=" + path : message);
        this.path = path;
    }

    /**
     * @param path   the ring file's path.
     * @param reason what was seen ("deleted, or replaced by another file", "retired (deleted as idle or abandoned)").
     * @return what a consumer throws once it has delivered everything its ring held: nothing more will come into that
     *         file; open the path anew for what producers send now.
     */
    public static RingGoneException drained(final Path path, final String reason)
    {
        return new RingGoneException(path, "ring file gone (" + reason + "); every message it held was delivered", true);
    }

    /**
     * @return the path the ring file had.
     */
    public Path path()
    {
        return path;
    }
}
