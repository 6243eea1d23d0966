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
    private final boolean notInitialised;

    /**
     * @param path   the file.
     * @param reason what is wrong, naming the offending value.
     */
    public InvalidRingFileException(final Path path, final String reason)
    {
        this(path, reason, false);
    }

    private InvalidRingFileException(final Path path, final String reason, final boolean notInitialised)
    {
        super(reason + ": path=" + path);
        this.path = path;
        this.notInitialised = notInitialised;
    }

    /**
     * @param path the file.
     * @return the exception for a file whose magic is still zero: its creator has not finished (or died).
     */
    public static InvalidRingFileException notInitialised(final Path path)
    {
        return new InvalidRingFileException(
            path, "ring not initialised, magic=0 (being created, or its creator died)", true);
    }

    /**
     * @return true if the file's header is not published yet, so waiting for its creator may help.
     */
    public boolean isNotInitialised()
    {
        return notInitialised;
    }

    /**
     * @return the file that was refused.
     */
    public Path path()
    {
        return path;
    }
}
