package io.shmring.sync;

import io.shmring.core.ShmringException;

/**
 * A wake line holds bytes that no end of this protocol writes, and that the C library must not be handed: a POSIX
 * semaphore whose process-shared word is not the one {@code sem_init(pshared=1)} writes here (another process
 * overwrote it). glibc aborts the whole process (SIGABRT, "The futex facility returned an unexpected error code") when
 * it meets such a semaphore in {@code sem_post} or {@code sem_clockwait}, so it is checked before every such call
 * (docs/LAYOUT.md 4.8). Ring ends report it as their ring's corruption.
 */
public final class CorruptWakeLineException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** Where the bad word is, in the mapped region holding the line (bytes). */
    private final long offset;
    /** The word found. */
    private final long value;
    /** What the word should have been, and why it matters. */
    private final String rule;

    /**
     * @param offset where the bad word is, in the mapped region holding the line (bytes).
     * @param value  the word found.
     * @param rule   what it should have been, and why it matters.
     */
    public CorruptWakeLineException(final long offset, final long value, final String rule)
    {
        super("corrupt wake line: word=0x" + Long.toHexString(value) + " at offset=" + offset + " (" + rule + ")");
        this.offset = offset;
        this.value = value;
        this.rule = rule;
    }

    /**
     * @return where the bad word is, in the mapped region holding the line (bytes).
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return the word found.
     */
    public long value()
    {
        return value;
    }

    /**
     * @return what the word should have been, and why it matters (the message without the word and its offset).
     */
    public String rule()
    {
        return rule;
    }
}
