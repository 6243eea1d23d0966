package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.liveness.PartyStatus;

/**
 * A snapshot of one consumer slot of a broadcast ring, for monitoring ({@code shmring stat}, the demo).
 *
 * @param slot       index in the consumer table.
 * @param party      its holder, judged by the liveness rules.
 * @param position   the next byte its consumer reads, or {@link BroadcastDescriptor#NOT_READING}.
 * @param delivered  messages its consumer delivered since it joined.
 * @param deliveredBytes payload bytes of those messages (0 if its consumer runs code that does not count them).
 * @param laps       lossy: times its consumer was lapped.
 * @param lostBytes  lossy: bytes those laps skipped (frames, headers and padding).
 * @param drops      lossless: times the producer dropped a consumer of this slot, over the ring's life.
 */
public record BroadcastSlotStatus(
    int slot, PartyStatus party, long position, long delivered, long deliveredBytes, long laps, long lostBytes, long drops)
{
    /**
     * @return true if its consumer reads (it holds a position).
     */
    public boolean isReading()
    {
        return position != BroadcastDescriptor.NOT_READING;
    }

    /**
     * @param tail the producer's position.
     * @return bytes between this consumer and the tail, or -1 if it does not read.
     */
    public long lagBytes(final long tail)
    {
        return isReading() ? Math.max(0, tail - position) : -1;
    }
}
