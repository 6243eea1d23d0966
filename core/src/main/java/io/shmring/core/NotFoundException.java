package io.shmring.core;

import java.nio.file.Path;

/**
 * A file shmring was asked to open does not exist: a ring file opened without creating it, a FIFO or socket file
 * a publisher expects a subscriber to have made. Nothing was created. Create it (for rings:
 * {@code RingFile.create} or {@code RingFile.openOrCreate}), or start the side that makes it first.
 */
public final class NotFoundException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The missing file (not serialised). */
    private final transient Path path;

    /**
     * @param path  the missing file.
     * @param what  what was expected there ("ring file", "FIFO").
     * @param cause the underlying failure, or null.
     */
    public NotFoundException(final Path path, final String what, final Throwable cause)
    {
        super("no such " + what + ": path=" + path, cause);
        this.path = path;
    }

    /**
     * @return the missing file.
     */
    public Path path()
    {
        return path;
    }
}
