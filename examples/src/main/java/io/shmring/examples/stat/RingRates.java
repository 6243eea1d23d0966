package io.shmring.examples.stat;

import io.shmring.ringbuffer.BroadcastSlotStatus;

/**
 * What changed between two snapshots of one ring, per second: messages and payload bytes published and consumed (from
 * the ends' counters in the file), positions moved (frame headers and padding included), and wake signals given on
 * both wake lines.
 *
 * @param intervalMs               time between the snapshots, ms.
 * @param publishedMessagesPerSecond messages per second the producers counted.
 * @param consumedMessagesPerSecond  messages per second the consumer counted; broadcast: deliveries per second to
 *                                   every consumer (each slot's count since the previous snapshot, or since its
 *                                   consumer joined if it has a new one).
 * @param publishedBytesPerSecond  bytes per second the producers' position moved.
 * @param consumedBytesPerSecond   bytes per second the consumer's position moved.
 * @param wakesPerSecond           wake signals per second (sleepers woken) on the not-empty and not-full lines.
 */
public record RingRates(long intervalMs, double publishedMessagesPerSecond, double consumedMessagesPerSecond,
    double publishedBytesPerSecond, double consumedBytesPerSecond, double wakesPerSecond)
{
    /**
     * @param before an earlier snapshot of the ring.
     * @param after  a later one of the same ring.
     * @return the rates between them, or null if they are not of one ring or no time passed.
     */
    public static RingRates between(final RingSnapshot before, final RingSnapshot after)
    {
        final long intervalNs = after.capturedNanos() - before.capturedNanos();
        if (intervalNs <= 0 || !before.path().equals(after.path()) || after.creationTimeMs() != before.creationTimeMs())
        {
            return null; // a ring created anew at the path starts its positions again
        }
        final double seconds = intervalNs / 1e9;
        final long wakes = sequenceDelta(before.notEmpty(), after.notEmpty()) + sequenceDelta(before.notFull(), after.notFull());
        return new RingRates(intervalNs / 1_000_000,
            (after.counters().messagesPublished() - before.counters().messagesPublished()) / seconds,
            consumedSince(before, after) / seconds, (after.tail() - before.tail()) / seconds,
            (after.head() - before.head()) / seconds, wakes / seconds);
    }

    /**
     * @return messages consumed between the snapshots; broadcast: each consumer slot's deliveries since the earlier
     *         snapshot, or all of them if the slot has a new consumer (a count restarts at 0 when a consumer joins).
     */
    private static long consumedSince(final RingSnapshot before, final RingSnapshot after)
    {
        if (after.broadcast() == null || before.broadcast() == null)
        {
            return after.counters().messagesConsumed() - before.counters().messagesConsumed();
        }
        long consumed = 0;
        for (final BroadcastSlotStatus slot : after.broadcast().slots())
        {
            final BroadcastSlotStatus earlier = before.broadcast().slot(slot.slot());
            final boolean sameConsumer = earlier != null && earlier.party().generation() == slot.party().generation() &&
                slot.delivered() >= earlier.delivered();
            consumed += sameConsumer ? slot.delivered() - earlier.delivered() : slot.delivered();
        }
        return consumed;
    }

    private static long sequenceDelta(final RingSnapshot.WakeLine before, final RingSnapshot.WakeLine after)
    {
        return (after.sequence() - before.sequence()) & 0xFFFF_FFFFL; // the sequence is 32 bits and wraps
    }
}
