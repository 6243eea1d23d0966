package io.shmring.core;

/**
 * The base of every exception shmring throws for a condition of the world rather than a programming error:
 * a ring already attached, a ring file that is invalid or gone, a peer that vanished. Programming errors
 * (a double commit, use after close, an oversize message) stay {@link IllegalStateException} and
 * {@link IllegalArgumentException}.
 */
public class ShmringException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the values.
     */
    public ShmringException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, naming the values.
     * @param cause   the underlying failure.
     */
    public ShmringException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
