package io.shmring.ringbuffer;

import java.nio.file.Path;

/**
 * A file that cannot be used as a ring: not a ring at all, a ring of another layout version or
 * kind, or a damaged one. Thrown before any access beyond what the file length allows, and
 * without writing to the file.
 */
public final class InvalidRingFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the file.
     * @param reason what is wrong, naming the offending value.
     */
    public InvalidRingFileException(final Path path, final String reason)
    {
        super(reason + ": path=" + path);
        this.path = path;
    }

    /**
     * @return the file that was refused.
     */
    public Path path()
    {
        return path;
    }
}
