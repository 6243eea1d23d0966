package io.shmring.ringbuffer;

/**
 * The counters ring ends keep in the ring file (docs/LAYOUT.md 2.4), read by any process, read-only mapping included:
 * counts since the ring was created. Each value is read whole, but they are read one at a time while the ends keep
 * counting, so two of them may be from different moments (a consumed count may briefly exceed a published one read
 * before it).
 *
 * @param messagesPublished messages the producers published (SPSC, broadcast) or claimed (MPSC: summed over every
 *                          producer slot; an aborted claim counts).
 * @param bytesPublished    payload bytes of those messages.
 * @param messagesConsumed  messages the consumer delivered (SPSC, MPSC); broadcast: the deliveries counted in the
 *                          consumer slots, summed (each slot counts since its consumer joined, so the sum steps down
 *                          when a slot gets a new consumer).
 * @param bytesConsumed     payload bytes of those messages.
 * @param wakeCalls         native wake calls made by the producers (summed over MPSC slots; an MPSC producer's threads
 *                          count theirs under its reservation lock) and by the SPSC or MPSC consumer.
 * @param fullEvents        offers and claims that found no space (producers; summed over MPSC slots).
 */
public record RingCounters(long messagesPublished, long bytesPublished, long messagesConsumed, long bytesConsumed,
    long wakeCalls, long fullEvents)
{
}
