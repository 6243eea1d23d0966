package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * An MPSC producer's open claim was recovered by the consumer before {@link MpscProducer#commit(int)} (the
 * producer was judged dead, docs/LAYOUT.md 5.7, or the consumer's operator called {@link MpscConsumer#unblock()}): the
 * consumer turned the claim into padding and moved on, so this message was <b>not</b> published. Nothing else was
 * lost. Claim again and write the message anew if it still matters; a producer that sees this often holds claims
 * open too long (a pause inside a claim, a debugger, a stopped process).
 */
public final class ClaimRecoveredException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** Index of the claimed payload in the producer's buffer. */
    private final int index;
    /** The producer slot that held the claim. */
    private final int slot;

    /**
     * @param path  the ring file.
     * @param index index of the claimed payload in the producer's buffer.
     * @param slot  the producer slot that held the claim.
     */
    public ClaimRecoveredException(final Path path, final int index, final int slot)
    {
        super("claim was recovered by the consumer before its commit, message discarded: index=" + index +
            " slot=" + slot + " path=" + path);
        this.path = path;
        this.index = index;
        this.slot = slot;
    }

    /**
     * @return the ring file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return index of the claimed payload in the producer's buffer.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the producer slot that held the claim.
     */
    public int slot()
    {
        return slot;
    }
}
