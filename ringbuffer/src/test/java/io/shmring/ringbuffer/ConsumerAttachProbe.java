package io.shmring.ringbuffer;

/**
 * What an MPSC consumer concluded about the stream word when it attached (docs/LAYOUT.md 5.8). Test code only.
 */
public final class ConsumerAttachProbe
{
    private ConsumerAttachProbe()
    {
    }

    /**
     * @param consumer an MPSC consumer.
     * @return true if it found, when it attached, a stream that had ended with nothing left to read and no producer
     *         attached, and so takes that end for an earlier stream's.
     */
    public static boolean attachedAfterAnEnd(final MpscConsumer consumer)
    {
        return consumer.remembersEarlierEnd();
    }
}
