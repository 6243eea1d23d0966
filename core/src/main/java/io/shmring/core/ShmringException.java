package io.shmring.core;

/**
 * The base of every exception shmring throws for a condition of the world rather than a programming error, so a
 * caller can react by type, never by parsing a message: a file missing ({@link NotFoundException}) or present
 * ({@link AlreadyExistsException}), an end closed under the caller ({@link ClosedException}), a file refused for
 * its owner or mode ({@link InsecureFileException}), a peer refused or untrusted, a broken byte stream; the ring
 * module adds a role already held, taken over or a claim recovered, an incompatible, invalid, corrupt or vanished
 * ring file. Each subclass carries the values it names. Programming errors (a double commit, an oversize message, a
 * reserved type id) stay {@link IllegalStateException} and {@link IllegalArgumentException}.
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
