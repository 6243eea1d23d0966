package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;

/**
 * What a broadcast ring's producer does when a consumer falls a whole ring behind; chosen at creation and
 * stored in the header ({@link BroadcastDescriptor#POLICY_OFFSET}) as {@link #code()}.
 */
public enum BroadcastPolicy
{
    /**
     * The producer never overwrites what a live consumer has not read: the slowest one bounds its free space.
     * A consumer that is dead, or whose position has not moved for the stall timeout while it holds the producer
     * back, is dropped (and told so at its next poll), so one stuck process cannot stop the producer for ever.
     */
    LOSSLESS(1),
    /**
     * The producer never waits. A consumer that was lapped (the producer overwrote what it had not read) learns it,
     * with the bytes it lost, and starts again at the tail; it never delivers a torn or overwritten message.
     */
    LOSSY(2);

    private final int code;

    BroadcastPolicy(final int code)
    {
        this.code = code;
    }

    /**
     * @return the value stored in the ring file header.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a value read from a ring file header.
     * @return the policy, or null if the code names none.
     */
    public static BroadcastPolicy fromCode(final int code)
    {
        for (final BroadcastPolicy policy : values())
        {
            if (policy.code == code)
            {
                return policy;
            }
        }
        return null;
    }
}
