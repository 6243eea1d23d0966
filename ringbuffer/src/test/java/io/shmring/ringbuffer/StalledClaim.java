package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;

/**
 * A producer thread stalled between its tail CAS and its header CASes (docs/LAYOUT.md 5.4, after step 2): for tests of
 * what its late header writes may do once the consumer recovered and revoked its range. Test code only.
 */
public final class StalledClaim
{
    private final MpscProducer producer;
    private final int frameLength;
    private final long tail;

    private StalledClaim(final MpscProducer producer, final int frameLength, final long tail)
    {
        this.producer = producer;
        this.frameLength = frameLength;
        this.tail = tail;
    }

    /**
     * Lock the producer's slot reservation, record a range for a payload of {@code length} bytes and move the tail
     * past it; stop there.
     *
     * @param producer the stalled producer (its slot stays locked until {@link #finish()}).
     * @param length   payload bytes.
     * @return the stalled claim.
     * @throws IllegalStateException if the ring is full.
     */
    public static StalledClaim reserve(final MpscProducer producer, final int length)
    {
        final int frameLength = FrameDescriptor.frameLength(length);
        final long tail = producer.reserveRange((int)FrameDescriptor.align(frameLength));
        if (tail < 0)
        {
            throw new IllegalStateException("ring full: no range for " + length + " bytes");
        }
        return new StalledClaim(producer, frameLength, tail);
    }

    /**
     * @return the position the stalled range starts at.
     */
    public long tail()
    {
        return tail;
    }

    /**
     * Resume: write the header(s), end the reservation, keep the claim or withdraw it.
     *
     * @return the claimed frame's data index, or -1 if the range was given up (revoked or recovered).
     */
    public int finish()
    {
        final int frameIndex = producer.writeClaim(tail, frameLength);
        return frameIndex == MpscProducer.CLAIM_AGAIN ? -1 : frameIndex;
    }
}
