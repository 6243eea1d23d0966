package io.shmring.core.internal.stream;


/**
 * The receive buffer bytes every connection of one subscriber may hold together ({@code totalBufferBytes}).
 * A {@link FrameReader} reserves a buffer's bytes here before allocating it and gives them back when it
 * frees it; a reservation that would pass the limit is refused, and the reader fails its connection
 * instead of allocating. Used by the polling thread only: not thread-safe.
 */
final class ReceiveBudget
{
    private final long limitBytes;
    private long heldBytes;

    /**
     * @param limitBytes most bytes held at once; at least 1.
     * @throws IllegalArgumentException if the limit is below 1.
     */
    ReceiveBudget(final long limitBytes)
    {
        if (limitBytes < 1)
        {
            throw new IllegalArgumentException("receive budget must be at least 1 byte: limitBytes=" + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /**
     * @param bytes bytes about to be allocated; at least 0.
     * @return true if they fit and are now held, false if they would pass the limit (nothing held).
     */
    boolean tryReserve(final long bytes)
    {
        if (bytes > limitBytes - heldBytes)
        {
            return false;
        }
        heldBytes += bytes;
        return true;
    }

    /**
     * @param bytes bytes freed, reserved earlier.
     */
    void release(final long bytes)
    {
        heldBytes -= bytes;
    }

    /**
     * @return bytes held now.
     */
    long heldBytes()
    {
        return heldBytes;
    }

    /**
     * @return most bytes held at once.
     */
    long limitBytes()
    {
        return limitBytes;
    }
}
