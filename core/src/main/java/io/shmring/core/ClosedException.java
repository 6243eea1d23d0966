package io.shmring.core;

import java.nio.file.Path;

/**
 * A call on a publisher, subscriber or ring file that was closed: by this thread, by another thread, or (for ring
 * ends) because their {@code RingFile} was closed, which closes every end still open on it. Nothing was read or
 * written; a thread that was inside a call when the close came never touches unmapped memory. Open a new one.
 */
public final class ClosedException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** What is closed ("SPSC producer", "ring file", "publisher"). */
    private final String what;
    /** The file it was attached to, or null (not serialised). */
    private final transient Path path;

    /**
     * For an end of a file (a ring file, a FIFO): the message and {@link #path()} name the file.
     *
     * @param what what is closed ("SPSC producer", "ring file", "publisher").
     * @param path the file it was attached to, or null for a ring in direct memory.
     */
    public ClosedException(final String what, final Path path)
    {
        super(what + " is closed: path=" + path);
        this.what = what;
        this.path = path;
    }

    /**
     * For an end known by something other than a file (a URI, a socket address, a standard stream): {@link #path()}
     * is null.
     *
     * @param what  what is closed ("SPSC producer", "ring file", "publisher").
     * @param where where it was attached, named for the message (a URI or an address).
     */
    public ClosedException(final String what, final Object where)
    {
        super(what + " is closed: " + where);
        this.what = what;
        this.path = null;
    }

    /**
     * @return what is closed.
     */
    public String what()
    {
        return what;
    }

    /**
     * @return the file the closed end was attached to, or null when it had none (a socket, a pipe, an Aeron stream, a
     *         ring in direct memory, or after deserialisation).
     */
    public Path path()
    {
        return path;
    }
}
