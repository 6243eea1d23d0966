package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * An existing ring file differs from what the caller stated it needs: its kind, capacity, maximum message length,
 * producer slots, wake mechanism or broadcast settings. The file is a valid ring and was not changed; a value the
 * caller did not state is taken from the file and never refused (a {@code shm:} URI without {@code kind=} opens any
 * kind). {@link #actual()} and {@link #expected()} are in one notation: sizes and counts as decimal numbers (bytes,
 * slots, ms), kinds, mechanisms and policies as their enum constant's name ({@code SPSC}, {@code FUTEX},
 * {@code LOSSLESS}); the message adds how the caller spelt the value when that differs ({@code 131072 (128k)}).
 */
public final class IncompatibleRingException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The setting that differs. */
    private final String field;
    /** What the file records. */
    private final String actual;
    /** What the caller asked. */
    private final String expected;

    /**
     * @param path     the ring file.
     * @param field    the setting that differs (see {@link #field()}).
     * @param actual   what the file records: a number or an enum constant.
     * @param expected what the caller asked, in the notation of {@code actual}.
     * @param askedBy  who asked, for the message ("the caller", "SpscConsumer", "the URI shm:/dev/shm/md?kind=spsc").
     * @param advice   what to do about it, or an empty string; appended to the message.
     */
    public IncompatibleRingException(
        final Path path, final String field, final Object actual, final Object expected, final String askedBy,
        final String advice)
    {
        this(path, field, actual, expected, null, askedBy, advice);
    }

    /**
     * @param path     the ring file.
     * @param field    the setting that differs (see {@link #field()}).
     * @param actual   what the file records: a number or an enum constant.
     * @param expected what the caller asked, in the notation of {@code actual}.
     * @param spelled  how the caller wrote {@code expected} (a URI's {@code 128k}, {@code spsc}), or null; named in the
     *                 message when it differs.
     * @param askedBy  who asked, for the message ("the caller", "SpscConsumer", "the URI shm:/dev/shm/md?kind=spsc").
     * @param advice   what to do about it, or an empty string; appended to the message.
     */
    public IncompatibleRingException(
        final Path path, final String field, final Object actual, final Object expected, final String spelled,
        final String askedBy, final String advice)
    {
        super("ring file has " + field + "=" + actual + " but " + askedBy + " asks " + field + "=" + expected +
            (spelled == null || spelled.equals(String.valueOf(expected)) ? "" : " (" + spelled + ")") +
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
     * @return the setting that differs: {@code kind}, {@code capacity}, {@code maxMessageLength},
     *         {@code wakeMechanism}, {@code policy}, {@code consumers} or {@code stallTimeoutMs} (named as the
     *         {@code shm:} URI's parameters are, the wake mechanism as {@link RingConfig} names it), or
     *         {@code producerSlots} (only from {@link RingFile#openOrCreateMatching}).
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
     * @return what the caller asked, in the notation of {@link #actual()}.
     */
    public String expected()
    {
        return expected;
    }
}
