package io.shmring.examples.pair;

/**
 * Layout of the demo pair's message: a sequence number the consumer checks and the producer's
 * {@link System#nanoTime()} at send, so the consumer can measure one-way latency (both processes
 * read the same monotonic clock on Linux).
 * <pre>
 *  0        8          16                  length
 *  +--------+----------+--------------------+
 *  |  seq   | sentNanos|  filler            |
 *  +--------+----------+--------------------+
 * </pre>
 */
public final class PairMessage
{
    public static final int TYPE_ID = 1;
    public static final int SEQUENCE_OFFSET = 0;
    public static final int SENT_NANOS_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    public static final int MIN_LENGTH = SENT_NANOS_OFFSET + Long.BYTES;

    private PairMessage()
    {
    }
}
