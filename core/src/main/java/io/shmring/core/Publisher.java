package io.shmring.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The sending end of a transport. Not thread-safe unless the implementation says so.
 * <p>
 * Back-pressure is a return value ({@code false}, or a negative claim result); misuse — an
 * oversize message, a reserved type id, a double commit, use after close — is an exception.
 */
public interface Publisher extends AutoCloseable
{
    /** {@link #tryClaim} result: not enough free space now; try again later. */
    int INSUFFICIENT_CAPACITY = -2;

    /**
     * Copy a message in.
     *
     * @param typeId application type id, {@code >= 0}.
     * @param src    buffer holding the payload.
     * @param offset where the payload starts in {@code src}.
     * @param length payload bytes, at most {@link #maxMessageLength()}.
     * @return true if sent, false if there is no space now.
     */
    boolean offer(int typeId, DirectBuffer src, int offset, int length);

    /**
     * Reserve space for a message to be written in place into {@link #buffer()}, then
     * {@link #commit(int)} or {@link #abort(int)} it. Only one claim may be open at a time.
     *
     * @param typeId application type id, {@code >= 0}.
     * @param length payload bytes, at most {@link #maxMessageLength()}.
     * @return index in {@link #buffer()} where the payload goes, or {@link #INSUFFICIENT_CAPACITY}.
     */
    int tryClaim(int typeId, int length);

    /**
     * @return the memory claims are written into.
     */
    MutableDirectBuffer buffer();

    /**
     * Publish a claimed message.
     *
     * @param index the value {@link #tryClaim} returned.
     * @throws IllegalStateException if no claim at that index is open.
     */
    void commit(int index);

    /**
     * Drop a claimed message: the consumer never sees it.
     *
     * @param index the value {@link #tryClaim} returned.
     * @throws IllegalStateException if no claim at that index is open.
     */
    void abort(int index);

    /**
     * @return the largest payload accepted.
     */
    int maxMessageLength();

    /**
     * Release the publisher's resources; an open claim is aborted.
     */
    @Override
    void close();
}
