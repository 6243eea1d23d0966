package io.shmring.examples.pair;

import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Paths;

/**
 * Producer process of the demo pair: writes {@code count} messages of {@code size} bytes in place
 * (tryClaim/commit), optionally paced to {@code rate} messages per second, then closes the ring so
 * the consumer sees the end of the stream.
 * <p>
 * Usage: {@code PairProducer <ring file> <count> <size> <rate, 0 = as fast as possible>}
 */
public final class PairProducer
{
    private PairProducer()
    {
    }

    public static void main(final String[] args)
    {
        final long count = Long.parseLong(args[1]);
        final int size = Integer.parseInt(args[2]);
        final long rate = Long.parseLong(args[3]);
        final long nanosPerMessage = rate > 0 ? 1_000_000_000L / rate : 0;
        final IdleStrategy whenFull = new BackoffIdleStrategy();
        try (RingFile file = RingFile.open(Paths.get(args[0]), RingKind.SPSC);
            SpscProducer producer = new SpscProducer(file))
        {
            final UnsafeBuffer buffer = producer.buffer();
            final long start = System.nanoTime();
            for (long seq = 0; seq < count; seq++)
            {
                if (nanosPerMessage > 0)
                {
                    final long due = start + seq * nanosPerMessage;
                    while (System.nanoTime() < due)
                    {
                        Thread.onSpinWait();
                    }
                }
                int index;
                while ((index = producer.tryClaim(PairMessage.TYPE_ID, size)) < 0)
                {
                    whenFull.idle();
                }
                whenFull.reset();
                buffer.putLong(index + PairMessage.SEQUENCE_OFFSET, seq);
                buffer.putLong(index + PairMessage.SENT_NANOS_OFFSET, System.nanoTime());
                producer.commit(index);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.print(String.format("producer: sent %,d messages of %d B in %.2f s (%,.0f msgs/s)%n",
                count, size, seconds, count / seconds));
        }
    }
}
