package io.shmring.examples.pair;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Paths;

/**
 * Consumer process of the demo pair: reads messages in place, checks that sequence numbers arrive
 * 0, 1, 2, … with no gap or repeat, prints the rate and one-way latency each second, and exits
 * 0 only if every message arrived in order.
 * <p>
 * Usage: {@code PairConsumer <ring file> <expected count>}
 */
public final class PairConsumer implements MessageHandler
{
    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private long expectedSeq;
    private long outOfOrder;

    private PairConsumer()
    {
    }

    public static void main(final String[] args)
    {
        final long expected = Long.parseLong(args[1]);
        final PairConsumer handler = new PairConsumer();
        final IdleStrategy idle = new BackoffIdleStrategy(1_000, 100, 1_000, 100_000);
        try (RingFile file = RingFile.open(Paths.get(args[0]), RingKind.SPSC);
            SpscConsumer consumer = new SpscConsumer(file))
        {
            final long start = System.nanoTime();
            long lastReport = start;
            long lastCount = 0;
            while (!consumer.isEndOfStream())
            {
                idle.idle(consumer.poll(handler, 256));
                final long now = System.nanoTime();
                if (now - lastReport >= 1_000_000_000L)
                {
                    handler.report(now - lastReport, handler.expectedSeq - lastCount);
                    lastReport = now;
                    lastCount = handler.expectedSeq;
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.print(String.format("consumer: received %,d messages in %.2f s (%,.0f msgs/s); one-way latency " +
                "p50=%,d ns p99=%,d ns max=%,d ns%n", handler.expectedSeq, seconds, handler.expectedSeq / seconds,
                handler.latency.getValueAtPercentile(50), handler.latency.getValueAtPercentile(99),
                handler.latency.getMaxValue()));
            final boolean ok = handler.outOfOrder == 0 && handler.expectedSeq == expected;
            System.out.print(String.format("consumer: sequence check %s: %,d of %,d expected in order, %,d out of order%n",
                ok ? "OK" : "FAILED", handler.expectedSeq, expected, handler.outOfOrder));
            System.exit(ok ? 0 : 1);
        }
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long seq = buffer.getLong(offset + PairMessage.SEQUENCE_OFFSET);
        latency.recordValue(Math.max(0, System.nanoTime() - buffer.getLong(offset + PairMessage.SENT_NANOS_OFFSET)));
        if (seq != expectedSeq)
        {
            outOfOrder++;
        }
        expectedSeq = seq + 1;
    }

    private void report(final long intervalNanos, final long messages)
    {
        System.out.print(String.format("consumer: %,12d msgs/s  total %,d  p50 %,d ns  p99 %,d ns%n",
            messages * 1_000_000_000L / intervalNanos, expectedSeq,
            latency.getValueAtPercentile(50), latency.getValueAtPercentile(99)));
    }
}
