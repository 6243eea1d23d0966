package io.shmring.core;

/**
 * The process at the other end of a connection runs as a user the URI does not trust (its kernel-reported
 * credentials, {@code SO_PEERCRED}): for example a Unix socket some other user listens on. The connection
 * was closed before anything was sent on it.
 */
public final class UntrustedPeerException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message who the peer is and who was expected.
     */
    public UntrustedPeerException(final String message)
    {
        super(message);
    }
}
