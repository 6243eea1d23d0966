package io.shmring.core;

import java.nio.file.Path;

/**
 * A file shmring was asked to create already exists (a ring file made by {@code RingFile.create} while another
 * process made one first). Nothing was changed in the existing file. Open it instead, or use an open-or-create
 * call ({@code RingFile.openOrCreate}), which settles a race between creators.
 */
public final class AlreadyExistsException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The existing file (not serialised). */
    private final transient Path path;

    /**
     * @param path  the file that exists.
     * @param cause the underlying failure, or null.
     */
    public AlreadyExistsException(final Path path, final Throwable cause)
    {
        super("file already exists: path=" + path, cause);
        this.path = path;
    }

    /**
     * @return the file that exists.
     */
    public Path path()
    {
        return path;
    }
}
