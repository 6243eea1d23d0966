package io.shmring.core;

import io.shmring.core.internal.Backoff;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;

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
     * {@link #tryClaim} result: the destination is gone for good (a ring file deleted or replaced under the
     * producer), so nothing can be published any more; the next call throws. Open the destination anew.
     */
    int DESTINATION_GONE = -3;

    /**
     * Copy a message in.
     *
     * @param typeId application type id, {@code >= 0}.
     * @param src    buffer holding the payload.
     * @param offset where the payload starts in {@code src}.
     * @param length payload bytes, at most {@link #maxMessageLength()}.
     * @return true if sent, false if there is no space now.
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is open.
     * @throws ClosedException          if the publisher is closed.
     * @throws ShmringException         the subclass the transport names when its destination fails (a ring deleted or
     *                                  its role taken over, a stream's peer gone).
     */
    boolean offer(int typeId, DirectBuffer src, int offset, int length);

    /**
     * Copy a message in, waiting up to {@code timeout} while there is no space.
     * <p>
     * This default retries with a back-off (spin, yield, then park up to 1 ms, allocating nothing); transports with a
     * real wakeup override it so a blocked publisher sleeps until the consumer frees space.
     *
     * @param typeId  application type id, {@code >= 0}.
     * @param src     buffer holding the payload.
     * @param offset  where the payload starts in {@code src}.
     * @param length  payload bytes, at most {@link #maxMessageLength()}.
     * @param timeout how long to wait for space.
     * @param unit    unit of {@code timeout}.
     * @return true if sent, false if the timeout passed first.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is open.
     * @throws ClosedException          if the publisher is closed.
     * @throws ShmringException         as {@link #offer(int, DirectBuffer, int, int)}.
     */
    default boolean offer(
        final int typeId, final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        int attempt = 0;
        while (!offer(typeId, src, offset, length))
        {
            if (!pauseBefore(deadline, attempt++, "offer"))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Reserve space for a message to be written in place, waiting up to {@code timeout} while there is no space: the
     * zero-copy counterpart of {@link #offer(int, DirectBuffer, int, int, long, TimeUnit)}. Then
     * {@link #commit(int)} or {@link #abort(int)} it, as after {@link #tryClaim(int, int)}.
     * <p>
     * This default retries {@link #tryClaim(int, int)} with the same back-off as the default timed offer (spin, yield,
     * then park up to 1 ms, allocating nothing); transports with a real wakeup override it, as they override the timed
     * offer, so a blocked publisher sleeps until the consumer frees space (the ring producers do). Safe to call from
     * the one thread that uses this publisher (any thread, for a publisher that says it is thread-safe).
     *
     * @param typeId  application type id, {@code >= 0}.
     * @param length  payload bytes, at most {@link #maxMessageLength()}.
     * @param timeout how long to wait for space; 0 tries once.
     * @param unit    unit of {@code timeout}.
     * @return index in {@link #buffer()} where the payload goes, {@link #INSUFFICIENT_CAPACITY} if the timeout passed
     *         first, or (once, before calls throw) {@link #DESTINATION_GONE}.
     * @throws InterruptedException     if the thread is interrupted while waiting (no claim is open then).
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range (from {@link #tryClaim}).
     * @throws IllegalStateException    if a claim is already open (from {@link #tryClaim}).
     * @throws ClosedException          if the publisher is closed (from {@link #tryClaim}).
     * @throws ShmringException         as {@link #tryClaim(int, int)}.
     */
    default int tryClaim(final int typeId, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        int attempt = 0;
        int index;
        while ((index = tryClaim(typeId, length)) == INSUFFICIENT_CAPACITY)
        {
            if (!pauseBefore(deadline, attempt++, "tryClaim"))
            {
                break;
            }
        }
        return index;
    }

    /**
     * One back-off step of a timed call.
     *
     * @return false if the deadline ({@link System#nanoTime()} ns) has passed, so the caller gives up.
     * @throws InterruptedException if the thread was interrupted.
     */
    private static boolean pauseBefore(final long deadline, final int attempt, final String what)
        throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException(what + " interrupted");
        }
        if (System.nanoTime() - deadline >= 0)
        {
            return false;
        }
        Backoff.pause(attempt);
        return true;
    }

    /**
     * Send whatever the publisher has buffered. Rings publish at commit and need no flush; stream
     * transports that batch frames send them here.
     */
    default void flush()
    {
    }

    /**
     * Reserve space for a message to be written in place into {@link #buffer()}, then
     * {@link #commit(int)} or {@link #abort(int)} it. Only one claim may be open at a time.
     *
     * @param typeId application type id, {@code >= 0}.
     * @param length payload bytes, at most {@link #maxMessageLength()}.
     * @return index in {@link #buffer()} where the payload goes, {@link #INSUFFICIENT_CAPACITY}, or (once, before
     *         calls throw) {@link #DESTINATION_GONE}.
     * @throws IllegalArgumentException if {@code typeId} or {@code length} is out of range.
     * @throws IllegalStateException    if a claim is already open.
     * @throws ClosedException          if the publisher is closed.
     * @throws ShmringException         the subclass the transport names when its destination fails (after
     *                                  {@link #DESTINATION_GONE}, or a role taken over).
     */
    int tryClaim(int typeId, int length);

    /**
     * @return the memory claims are written into.
     * @throws ClosedException if the publisher is closed (a ring's buffer may be unmapped then: a write through it
     *                         could kill the JVM); transports whose buffer is on the heap may still return it.
     */
    MutableDirectBuffer buffer();

    /**
     * Publish a claimed message.
     *
     * @param index the value {@link #tryClaim} returned.
     * @throws IllegalStateException if no claim at that index is open.
     * @throws ClosedException       if the publisher is closed (an open claim is never published then).
     * @throws ShmringException      the subclass the transport names when the claim cannot be published (a ring
     *                               deleted, a role taken over, an MPSC claim recovered).
     */
    void commit(int index);

    /**
     * Drop a claimed message: the consumer never sees it.
     *
     * @param index the value {@link #tryClaim} returned.
     * @throws IllegalStateException if no claim at that index is open.
     * @throws ClosedException       if the publisher is closed.
     * @throws ShmringException      as {@link #commit(int)}.
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

    /**
     * Close as a publisher that failed before its input ended (an error, a timeout): release it as {@link #close()} does,
     * but without ending the stream where the transport can tell the two apart, so a subscriber waits for more, or is
     * told of the failure, instead of taking what it read for the whole stream. Ring publishers ({@code shm:}) write no
     * end of stream, as after a crash (docs/LAYOUT.md 5.8). This default closes: a byte-stream transport's subscriber
     * sees the end of the stream either way. Idempotent with {@link #close()}: whichever comes first decides.
     */
    default void closeBrokenOff()
    {
        close();
    }
}
