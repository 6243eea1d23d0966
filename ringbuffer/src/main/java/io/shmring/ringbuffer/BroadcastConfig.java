package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import java.util.Objects;

/**
 * What a broadcast ring is created with beyond what every ring has ({@link RingConfig}). Every value is checked
 * when the config is made.
 *
 * @param consumerSlots  consumers that may read at once, 1..{@link BroadcastDescriptor#MAX_CONSUMER_SLOTS}.
 * @param policy         lossless (the slowest live consumer bounds the producer) or lossy (the producer never waits).
 * @param stallTimeoutMs lossless: how long a consumer may hold the producer back without moving before it is
 *                       dropped, in ms; lossy: 0.
 */
public record BroadcastConfig(int consumerSlots, BroadcastPolicy policy, long stallTimeoutMs)
{
    /**
     * Checks every value.
     *
     * @param consumerSlots  consumers that may read at once.
     * @param policy         lossless or lossy.
     * @param stallTimeoutMs lossless: ms a consumer may hold the producer back without moving; lossy: 0.
     * @throws IllegalArgumentException naming the value, when one is out of range.
     * @throws NullPointerException     when policy is null.
     */
    public BroadcastConfig
    {
        Objects.requireNonNull(policy, "policy");
        BroadcastDescriptor.checkConsumerSlots(consumerSlots);
        BroadcastDescriptor.checkStallTimeout(policy, stallTimeoutMs);
    }

    /**
     * @param consumerSlots consumers that may read at once.
     * @return a lossless config with the {@link BroadcastDescriptor#DEFAULT_STALL_TIMEOUT_MS default stall timeout}.
     */
    public static BroadcastConfig lossless(final int consumerSlots)
    {
        return new BroadcastConfig(consumerSlots, BroadcastPolicy.LOSSLESS, BroadcastDescriptor.DEFAULT_STALL_TIMEOUT_MS);
    }

    /**
     * @param consumerSlots consumers that may read at once.
     * @return a lossy config.
     */
    public static BroadcastConfig lossy(final int consumerSlots)
    {
        return new BroadcastConfig(consumerSlots, BroadcastPolicy.LOSSY, 0);
    }

    /**
     * @param consumerSlots consumers that may read at once.
     * @param policy        the policy.
     * @return a config with that policy and its default stall timeout.
     */
    public static BroadcastConfig of(final int consumerSlots, final BroadcastPolicy policy)
    {
        return policy == BroadcastPolicy.LOSSLESS ? lossless(consumerSlots) : lossy(consumerSlots);
    }

    /**
     * @param stallTimeoutMs lossless stall timeout in ms.
     * @return a copy with that stall timeout.
     */
    public BroadcastConfig withStallTimeoutMs(final long stallTimeoutMs)
    {
        return new BroadcastConfig(consumerSlots, policy, stallTimeoutMs);
    }
}
