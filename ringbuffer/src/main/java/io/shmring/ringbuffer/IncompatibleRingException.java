package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * An existing ring file differs from what the caller stated it needs: its kind, capacity, maximum message length,
 * wake mechanism or broadcast settings. The file is a valid ring and was not changed; a value the caller did not
 * state is taken from the file and never refused (a {@code shm:} URI without {@code kind=} opens any kind).
 */
public final class IncompatibleRingException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The setting that differs, as a URI parameter names it ("kind", "capacity"). */
    private final String field;
    /** What the file records. */
    private final String actual;
    /** What the caller asked. */
    private final String expected;

    /**
     * @param path     the ring file.
     * @param field    the setting that differs, as a URI parameter names it ("kind", "capacity").
     * @param actual   what the file records.
     * @param expected what the caller asked.
     * @param askedBy  who asked, for the message ("the caller", "the URI shm:/dev/shm/md?kind=spsc").
     * @param advice   what to do about it, or an empty string; appended to the message.
     */
    public IncompatibleRingException(
        final Path path, final String field, final Object actual, final Object expected, final String askedBy,
        final String advice)
    {
        super("ring file has " + field + "=" + actual + " but " + askedBy + " asks " + field + "=" + expected +
            (advice.isEmpty() ? "" : "; " + advice) + ": path=" + path);
        this.path = path;
        this.field = field;
        this.actual = String.valueOf(actual);
        this.expected = String.valueOf(expected);
    }

    /**
     * @return the ring file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the setting that differs ("kind", "capacity", "maxMessageLength", "wait", "policy", "consumers",
     *         "stallTimeoutMs").
     */
    public String field()
    {
        return field;
    }

    /**
     * @return what the file records.
     */
    public String actual()
    {
        return actual;
    }

    /**
     * @return what the caller asked.
     */
    public String expected()
    {
        return expected;
    }
}
