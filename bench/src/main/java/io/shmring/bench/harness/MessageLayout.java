package io.shmring.bench.harness;

/**
 * What the harness puts in a measured message. Every payload starts with a sequence number, checked
 * by the receiver, and a send timestamp ({@link System#nanoTime()}, the same monotonic clock in every
 * process on the machine) where one is taken; the rest is whatever the buffer held.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   sequence number (int64)                     |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |         send time in ns, or 0 if not sampled (int64)          |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                      filler up to the size                   ...
 * </pre>
 * The fan-in mode ({@code --fanin}) takes no send times: its messages carry the sending producer's index there
 * instead, each producer numbering its own messages from 0.
 */
final class MessageLayout
{
    /** Where the sequence number goes. */
    static final int SEQUENCE_OFFSET = 0;
    /** Where the send time goes. */
    static final int TIMESTAMP_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    /** Where a fan-in message carries its producer's index (int64), in place of the send time. */
    static final int PRODUCER_OFFSET = TIMESTAMP_OFFSET;
    /** Smallest message the harness sends. */
    static final int MIN_SIZE = TIMESTAMP_OFFSET + Long.BYTES;

    /** Type id of a measured message. */
    static final int DATA_TYPE_ID = 1;
    /** Type id of the parent's "start streaming" message before a one-way phase. */
    static final int GO_TYPE_ID = 2;

    /** One-way messages whose sequence has these bits clear carry a send time (1 in 64). */
    static final long TIMESTAMP_SAMPLE_MASK = 63;

    private MessageLayout()
    {
    }

    /**
     * @param size a message size.
     * @return the size.
     * @throws IllegalArgumentException unless in [{@link #MIN_SIZE}, {@link Transport#MAX_MESSAGE_LENGTH}].
     */
    static int checkSize(final int size)
    {
        if (size < MIN_SIZE || size > Transport.MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("message size must be in " + MIN_SIZE + ".." + Transport.MAX_MESSAGE_LENGTH +
                ": size=" + size);
        }
        return size;
    }
}
