package io.shmring.bench.harness;

import java.util.function.BooleanSupplier;

/**
 * The busy-spin idle every spinning peer uses between empty polls ({@link Thread#onSpinWait()}, as
 * Agrona's {@code BusySpinIdleStrategy}), plus a stall check every 65,536 idles: if nothing moved for
 * the stall timeout, or the peer process is gone, it throws instead of spinning forever.
 * One per thread.
 */
public final class SpinWait
{
    private static final int CHECK_MASK = 0xFFFF;

    private final String what;
    private final BooleanSupplier peerAlive;
    private final long stallNanos;
    private int idles;
    private long stallDeadline;
    private boolean waiting;

    /**
     * @param what       the channel, for the message.
     * @param peerAlive  true while the other process lives.
     * @param stallNanos how long nothing may move before giving up.
     */
    public SpinWait(final String what, final BooleanSupplier peerAlive, final long stallNanos)
    {
        this.what = what;
        this.peerAlive = peerAlive;
        this.stallNanos = stallNanos;
    }

    /**
     * After progress: the next idle starts a new stall period.
     */
    public void reset()
    {
        waiting = false;
    }

    /**
     * Between two empty polls.
     */
    public void idle()
    {
        Thread.onSpinWait();
        if ((++idles & CHECK_MASK) == 0)
        {
            check();
        }
    }

    /**
     * Check liveness and the stall deadline now (blocking waits call it after each timed-out slice).
     *
     * @throws PeerStalledException if the peer died or the stall timeout passed.
     */
    public void check()
    {
        final long now = System.nanoTime();
        if (!waiting)
        {
            waiting = true;
            stallDeadline = now + stallNanos;
        }
        if (!peerAlive.getAsBoolean())
        {
            throw new PeerStalledException(what + ": the peer process is gone");
        }
        if (now - stallDeadline > 0)
        {
            throw new PeerStalledException(what + ": nothing moved for " + stallNanos / 1_000_000 + " ms");
        }
    }
}
