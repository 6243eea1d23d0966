package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;

/**
 * How many producers and consumers a ring file admits; stored in its header as {@link #code()}. A process that
 * does not know a kind refuses the file ({@link InvalidRingFileException}, "unknown ring kind").
 */
public enum RingKind
{
    /** One producer, one consumer: producers publish by moving the tail. */
    SPSC(1),
    /** Many producers (threads or processes), one consumer: producers claim with a CAS on the tail. */
    MPSC(2),
    /**
     * One producer, up to a fixed number of consumers that each read every message ({@link BroadcastDescriptor}):
     * lossless (the slowest live consumer holds the producer back) or lossy (the producer never waits).
     */
    BROADCAST(3);

    private final int code;

    RingKind(final int code)
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
     * @return the kind, or null if the code names none.
     */
    public static RingKind fromCode(final int code)
    {
        for (final RingKind kind : values())
        {
            if (kind.code == code)
            {
                return kind;
            }
        }
        return null;
    }
}
