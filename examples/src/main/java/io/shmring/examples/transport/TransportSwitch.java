package io.shmring.examples.transport;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One producer and one consumer, written once against {@link Publisher} / {@link Subscriber}; the transport is
 * whatever the URI names. Run the two sides as two processes ({@code TransportSwitch} standing for
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp examples/target/shmring.jar
 * io.shmring.examples.transport.TransportSwitch}):
 * <pre>
 *   TransportSwitch subscribe shm:/dev/shm/ts 100000 &amp;  TransportSwitch publish shm:/dev/shm/ts 100000
 *   TransportSwitch subscribe uds:/tmp/ts.sock 100000 &amp; TransportSwitch publish uds:/tmp/ts.sock 100000
 *   TransportSwitch subscribe fifo:/tmp/ts.fifo 100000 &amp; TransportSwitch publish fifo:/tmp/ts.fifo 100000
 *   TransportSwitch publish pipe:stdout 100000 | TransportSwitch subscribe pipe:stdin 100000
 * </pre>
 * The publisher sends {@code count} messages carrying a sequence number and its send time, then closes. The
 * subscriber checks they arrive 0, 1, 2, ... up to the count, prints one-way latency percentiles and exits 0
 * only if all arrived in order. The publisher reports on stderr, because over {@code pipe:stdout} its stdout
 * carries the frames.
 */
public final class TransportSwitch implements MessageHandler
{
    /** Type id of the messages. */
    public static final int TYPE_ID = 7;
    /** Payload: sequence number, int64. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Payload: {@link System#nanoTime()} at send, int64. */
    public static final int SEND_NANOS_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    /** Payload length. */
    public static final int LENGTH = SEND_NANOS_OFFSET + Long.BYTES;

    private static final long TIMEOUT_S = 20;

    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private long expectedSequence;
    private long received;
    private long outOfOrder;
    private long unexpectedFrames;

    private TransportSwitch()
    {
    }

    /**
     * @param args {@code publish|subscribe <uri> <count>}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length != 3 || !("publish".equals(args[0]) || "subscribe".equals(args[0])))
        {
            System.err.println("usage: TransportSwitch publish|subscribe <uri> <count>");
            System.exit(2);
        }
        final String uri = args[1];
        final long count = Long.parseLong(args[2]);
        if ("publish".equals(args[0]))
        {
            publish(uri, count);
        }
        else
        {
            System.exit(new TransportSwitch().subscribe(uri, count) ? 0 : 1);
        }
    }

    private static void publish(final String uri, final long count) throws InterruptedException
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[LENGTH]);
        final long start = System.nanoTime();
        try (Publisher publisher = Transports.publisher(uri))
        {
            for (long sequence = 0; sequence < count; sequence++)
            {
                message.putLong(SEQUENCE_OFFSET, sequence);
                message.putLong(SEND_NANOS_OFFSET, System.nanoTime());
                if (!publisher.offer(TYPE_ID, message, 0, LENGTH, TIMEOUT_S, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("no space or no subscriber within " + TIMEOUT_S + " s: sequence=" + sequence +
                        " uri=" + uri);
                }
            }
            publisher.flush();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "publisher: sent %,d messages to %s in %.3f s%n", count, uri, seconds);
    }

    private boolean subscribe(final String uri, final long count) throws InterruptedException
    {
        final long start = System.nanoTime();
        try (Subscriber subscriber = Transports.subscriber(uri))
        {
            while (received < count)
            {
                if (subscriber.take(this, 256, TIMEOUT_S, TimeUnit.SECONDS) == 0)
                {
                    break; // the stream ended early or nothing came for the whole timeout: the check below fails
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final boolean ok = received == count && outOfOrder == 0 && unexpectedFrames == 0;
        System.out.printf(Locale.ROOT, "subscriber: %,d of %,d messages over %s in %.3f s, %,d out of order, %,d unexpected: " +
            "sequence check %s%n", received, count, uri, seconds, outOfOrder, unexpectedFrames, ok ? "OK" : "FAILED");
        System.out.printf(Locale.ROOT, "subscriber: %,.0f msgs/s; send-to-receive us (queueing behind a full-speed publisher " +
            "included) p50 %.2f  p99 %.2f  max %.2f%n", received / seconds, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
        return ok;
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long now = System.nanoTime();
        if (typeId != TYPE_ID || length != LENGTH)
        {
            unexpectedFrames++;
            return;
        }
        final long sequence = buffer.getLong(offset + SEQUENCE_OFFSET);
        latency.recordValue(Math.max(0, Math.min(now - buffer.getLong(offset + SEND_NANOS_OFFSET), latency.getHighestTrackableValue())));
        if (sequence != expectedSequence)
        {
            outOfOrder++;
        }
        expectedSequence = sequence + 1;
        received++;
    }
}
