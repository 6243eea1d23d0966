package io.shmring.core;

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

    /**
     * @param what  what is closed ("SPSC producer", "ring file", "publisher").
     * @param where where it was attached, named for the message (a path or a URI).
     */
    public ClosedException(final String what, final Object where)
    {
        super(what + " is closed: " + where);
        this.what = what;
    }

    /**
     * @return what is closed.
     */
    public String what()
    {
        return what;
    }
}
