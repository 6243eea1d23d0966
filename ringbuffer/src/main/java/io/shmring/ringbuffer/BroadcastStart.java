package io.shmring.ringbuffer;

/**
 * Where a broadcast consumer starts reading when it joins.
 */
public enum BroadcastStart
{
    /** At the tail: the next message published. Every policy. */
    TAIL,
    /**
     * Lossy rings only: at the oldest checkpoint still intact (the start of the first frame published in a sixteenth of
     * the data region, docs/LAYOUT.md section 7.5), so it first reads up to a ring's worth of older messages; at the
     * tail if no checkpoint is intact.
     */
    OLDEST
}
