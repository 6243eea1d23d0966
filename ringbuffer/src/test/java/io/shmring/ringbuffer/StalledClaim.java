package io.shmring.ringbuffer;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;

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

    /**
     * Commit a claim {@link #finish()} kept, as {@link MpscProducer#commit} commits one (docs/LAYOUT.md 5.5): one CAS of
     * the frame header from this producer's claim to the committed header, then the not-empty signal. (The producer's
     * own commit needs a claim its thread opened through {@code tryClaim}, which a stalled claim is not.)
     *
     * @param frameIndex what {@link #finish()} returned.
     * @param typeId     the message's type id.
     * @return true if the commit was accepted; false if the consumer recovered the claim first (the producer's commit
     *         throws {@link ClaimRecoveredException} then).
     */
    public boolean commit(final int frameIndex, final int typeId)
    {
        final long ownerWord = new ProducerTable(producer.file()).ownerWord(producer.slot());
        final long claim = FrameHeader.pack(-frameLength, ClaimMarker.of(producer.slot(), PartyDescriptor.generation(ownerWord)));
        final boolean accepted = producer.file().data().compareAndSetLong( // CAS: as the producer's commit, loses to a recovery
            frameIndex, claim, FrameHeader.pack(frameLength, typeId));
        producer.wakeups().signalNotEmpty(); // as after every commit
        return accepted;
    }
}
