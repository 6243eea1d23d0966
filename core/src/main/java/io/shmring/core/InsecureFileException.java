package io.shmring.core;

import java.nio.file.Path;

/**
 * A file shmring was about to use (ring file, FIFO, socket file), or a directory above it, is open to
 * users the URI does not trust: another owner, group or other access beyond what the URI grants, a
 * symbolic link, or a directory in which someone else could replace the file. Nothing was read from or
 * written to the file. See {@link FileAccess}.
 */
public final class InsecureFileException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path    the file or directory refused.
     * @param message why, naming its owner, group and mode.
     */
    public InsecureFileException(final Path path, final String message)
    {
        super(message);
        this.path = path;
    }

    /**
     * @return the file or directory refused.
     */
    public Path path()
    {
        return path;
    }
}
