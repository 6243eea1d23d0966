package io.shmring.ringbuffer.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which file lengths a ring can have: what the operator's tools use to tell a ring they may not read from another
 * program's shared memory.
 */
class RingDescriptorTest
{
    @Test
    void shouldTakeEveryRingLengthAsPossible()
    {
        for (long wide = RingDescriptor.MIN_CAPACITY; wide <= RingDescriptor.MAX_CAPACITY; wide <<= 1) // long: 2^30 << 1 wraps an int
        {
            final int capacity = (int)wide;
            for (final int slots : new int[] { 0, 1, 16, 64, 1024, RingDescriptor.MAX_PRODUCER_SLOTS })
            {
                final long length = RingDescriptor.fileLength(capacity, slots);
                assertTrue(RingDescriptor.isPossibleFileLength(length), "capacity=" + capacity + " slots=" + slots);
            }
        }
    }

    @Test
    void shouldRejectLengthsNoRingHas()
    {
        final long smallest = RingDescriptor.fileLength(RingDescriptor.MIN_CAPACITY, 0);
        assertFalse(RingDescriptor.isPossibleFileLength(smallest - 1), "one byte short");
        assertFalse(RingDescriptor.isPossibleFileLength(smallest + 8), "not header pages plus a power of 2");
        assertFalse(RingDescriptor.isPossibleFileLength(4096), "one page");
        assertFalse(RingDescriptor.isPossibleFileLength(67_108_864), "a 64 MiB segment has no header pages");
        assertFalse(RingDescriptor.isPossibleFileLength(0));
        assertFalse(RingDescriptor.isPossibleFileLength(-1));
        assertFalse(RingDescriptor.isPossibleFileLength(Long.MAX_VALUE));
    }
}
