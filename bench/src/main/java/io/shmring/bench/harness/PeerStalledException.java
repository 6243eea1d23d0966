package io.shmring.bench.harness;

/**
 * The other process stopped moving messages: it died, or nothing moved for the stall timeout.
 */
public final class PeerStalledException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what stalled and for how long.
     */
    public PeerStalledException(final String message)
    {
        super(message);
    }
}
