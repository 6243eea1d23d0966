package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;

/**
 * The reserved type id an MPSC producer writes into a frame it has claimed but not committed. It names
 * the claim's owner, so the consumer can judge whether a stuck claim's producer is alive.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-----------------------------------+-----------------------+
 *  |1|0|   Generation (18 bits)            |  Slot (12 bits)       |
 *  +-+-+-----------------------------------+-----------------------+
 * </pre>
 * (bit 0 above is the most significant bit.) The sign bit makes the marker a reserved, negative type
 * id; bit 30 is zero so no marker equals {@link io.shmring.core.FrameDescriptor#PADDING_TYPE_ID} (-1).
 * Slot is the owner's index in the producer table and generation the low 18 bits of that slot's
 * registration count, so a claim left by a dead producer is not mistaken for one of the live process
 * that later took over its slot.
 */
final class ClaimMarker
{
    /** Bits of the slot index: enough for {@link RingDescriptor#MAX_PRODUCER_SLOTS}. */
    static final int SLOT_BITS = 12;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Bits of the registration generation. */
    static final int GENERATION_BITS = 18;
    static final int GENERATION_MASK = (1 << GENERATION_BITS) - 1;

    private static final int TAG_MASK = 0b11 << (SLOT_BITS + GENERATION_BITS);
    private static final int TAG = Integer.MIN_VALUE;

    private ClaimMarker()
    {
    }

    /**
     * @param slot       owner's producer table slot.
     * @param generation owner's registration generation (only its low {@link #GENERATION_BITS} are kept).
     * @return the marker.
     */
    static int of(final int slot, final int generation)
    {
        return TAG | ((generation & GENERATION_MASK) << SLOT_BITS) | (slot & SLOT_MASK);
    }

    /**
     * @param typeId a type id field read from a claimed frame.
     * @return true if it is shaped like a marker.
     */
    static boolean isMarker(final int typeId)
    {
        return (typeId & TAG_MASK) == TAG;
    }

    /**
     * @param marker a marker.
     * @return the owner's slot.
     */
    static int slot(final int marker)
    {
        return marker & SLOT_MASK;
    }

    /**
     * @param marker a marker.
     * @return the owner's generation, low {@link #GENERATION_BITS} bits.
     */
    static int generation(final int marker)
    {
        return (marker >>> SLOT_BITS) & GENERATION_MASK;
    }

    /**
     * @param marker          a marker.
     * @param ownerGeneration the generation in its slot's owner word now.
     * @return true if the marker was made by that registration of the slot (its low {@link #GENERATION_BITS} bits): a
     *         claim of an earlier holder is its dead owner's, whoever holds the slot now (docs/LAYOUT.md 5.7 a step 2).
     */
    static boolean isOfGeneration(final int marker, final int ownerGeneration)
    {
        return (ownerGeneration & GENERATION_MASK) == generation(marker);
    }
}
