package io.shmring.examples.stat;

import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.RingFile;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Counts the frames between a live ring's head and tail by walking their headers, reading only.
 * The consumer may move the head (and overwrite nothing it has not consumed) while the walk runs:
 * a walk is kept only if the head did not move during it, and a header that cannot be valid ends it
 * as "unknown" rather than guessing.
 *
 * @param messages       committed application frames pending (padding not counted), or -1 if unknown.
 * @param openClaims     MPSC claims reserved but not yet committed.
 * @param unwrittenBytes bytes of MPSC reservations whose header is not written yet (length 0).
 */
public record PendingFrames(long messages, long openClaims, long unwrittenBytes)
{
    private static final int ATTEMPTS = 5;
    private static final PendingFrames UNKNOWN = new PendingFrames(-1, 0, 0);

    /**
     * @param ring a validated ring.
     * @return the pending frames, or {@link #isKnown() unknown} if the consumer kept moving or a header was invalid.
     */
    public static PendingFrames count(final RingFile ring)
    {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            final long head = ring.consumerPosition();
            final PendingFrames walked = walk(ring, head, ring.producerPosition());
            if (ring.consumerPosition() == head)
            {
                return walked;
            }
        }
        return UNKNOWN;
    }

    private static PendingFrames walk(final RingFile ring, final long head, final long tail)
    {
        final UnsafeBuffer data = ring.data();
        final int capacity = ring.capacity();
        final int mask = capacity - 1;
        if (tail - head > capacity || tail < head)
        {
            return UNKNOWN;
        }
        long messages = 0;
        long openClaims = 0;
        long position = head;
        while (position < tail)
        {
            final int index = (int)(position & mask);
            if ((index & (FrameDescriptor.ALIGNMENT - 1)) != 0)
            {
                return UNKNOWN;
            }
            final int length = data.getIntVolatile(index + FrameDescriptor.LENGTH_OFFSET); // volatile: racing a writer
            if (length == 0)
            {
                // an MPSC reservation whose header is not written yet: its extent is only in the producer table
                return new PendingFrames(messages, openClaims, tail - position);
            }
            final int frameLength = length < 0 ? -length : length;
            if (frameLength < FrameDescriptor.HEADER_LENGTH || frameLength > capacity - index)
            {
                return UNKNOWN;
            }
            if (length < 0)
            {
                openClaims++;
            }
            else if (data.getInt(index + FrameDescriptor.TYPE_ID_OFFSET) != FrameDescriptor.PADDING_TYPE_ID)
            {
                messages++;
            }
            position += FrameDescriptor.align(frameLength);
        }
        return new PendingFrames(messages, openClaims, 0);
    }

    /**
     * @return true if the walk completed.
     */
    public boolean isKnown()
    {
        return messages >= 0;
    }
}
