package io.shmring.ringbuffer;

import io.shmring.core.ShmringException;

import java.nio.file.Path;

/**
 * A lossless broadcast ring's producer dropped this consumer (it was dead by the liveness rules, or held the producer
 * back without moving for the ring's stall timeout, or an operator dropped it), so it missed messages and no longer
 * holds the producer back. Thrown by calls after the one that returned {@link BroadcastConsumer#DROPPED}, until
 * {@link BroadcastConsumer#rejoin()}.
 */
public final class ConsumerDroppedException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /** The ring file (not serialised). */
    private final transient Path path;
    /** The consumer slot that was dropped. */
    private final int slot;

    /**
     * @param path     the ring file.
     * @param slot     the consumer's slot.
     * @param position where it was when it found out.
     */
    public ConsumerDroppedException(final Path path, final int slot, final long position)
    {
        super("broadcast consumer was dropped by the producer (dead, or stalled past the stall timeout) and missed messages; " +
            "rejoin() to read on from the tail: slot=" + slot + " position=" + position + " path=" + path);
        this.path = path;
        this.slot = slot;
    }

    /**
     * @return the ring file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the consumer's slot.
     */
    public int slot()
    {
        return slot;
    }
}
