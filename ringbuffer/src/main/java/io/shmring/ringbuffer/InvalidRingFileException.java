package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * A file that cannot be used as a ring: not a ring at all, a ring of another layout version or
 * kind, or a damaged one. Thrown before any access beyond what the file length allows, and
 * without writing to the file.
 */
public final class InvalidRingFileException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The file (not serialised). */
    private final transient Path path;
    /** True when the file's creator had not finished initialising it. */
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
     * @param path    the file.
     * @param length  its length now.
     * @param minimum the smallest ring file.
     * @return the exception for a file too short to hold a ring: possibly one whose creator has not sized it yet.
     */
    public static InvalidRingFileException tooShort(final Path path, final long length, final long minimum)
    {
        return new InvalidRingFileException(
            path, "file too short to be a ring: length=" + length + " minimum=" + minimum, true);
    }

    /**
     * @param path         the file.
     * @param length       bytes mapped.
     * @param headerLength the file length its header records.
     * @return the exception for a ring shorter than its header says: truncated, or still being grown by its creator
     *         when it was mapped (then mapping it again helps).
     */
    public static InvalidRingFileException shorterThanHeader(final Path path, final long length, final long headerLength)
    {
        return new InvalidRingFileException(
            path, "file shorter than its header says (truncated?): length=" + length + " header=" + headerLength, true);
    }

    /**
     * @return true if the file may be a ring still being created (too short, its magic not yet published, or
     * shorter than its header says when it was mapped), so waiting for its creator and mapping it again may help.
     */
    public boolean mayBeInitialising()
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
