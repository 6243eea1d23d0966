package io.shmring.core;

/**
 * The other end refused this publisher or did not accept it: a subscriber's peer check (for example
 * {@code allowUid}) turned it away, the subscriber was at its connection limit or out of file
 * descriptors, or it closed the connection or stayed silent instead of accepting it in time. Nothing
 * was sent on that connection. A later attempt may be accepted if the cause was a limit.
 */
public final class PeerRefusedException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message who refused, and why if it said.
     */
    public PeerRefusedException(final String message)
    {
        super(message);
    }
}
