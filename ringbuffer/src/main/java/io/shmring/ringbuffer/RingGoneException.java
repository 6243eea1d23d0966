package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * The ring file a producer writes was deleted, or its path now names another file, so a consumer that opens
 * the path would never see what the producer writes. The producer refuses to publish rather than "succeed"
 * into a file nobody can open again; open the path anew.
 */
public final class RingGoneException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the ring file's path.
     * @param reason what was seen ("deleted", "replaced by another file", "retired by its consumer").
     */
    public RingGoneException(final Path path, final String reason)
    {
        super("ring file gone (" + reason + "); messages are no longer published: path=" + path);
        this.path = path;
    }

    /**
     * @return the path the ring file had.
     */
    public Path path()
    {
        return path;
    }
}
