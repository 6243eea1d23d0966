package io.shmring.examples.bridge;

import io.shmring.core.Publisher;
import io.shmring.core.Transports;

import java.util.concurrent.TimeUnit;

/**
 * Process A of the bridge tests: {@code SequenceWriterMain URI COUNT} writes frames 0..COUNT-1 in place
 * (claim, write, commit), waiting while the transport is full, then closes (the end of the stream) and prints
 * {@code done COUNT}. Exits 1 if a claim waits 60 s.
 */
public final class SequenceWriterMain
{
    private SequenceWriterMain()
    {
    }

    /**
     * @param args URI, count.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long count = Long.parseLong(args[1]);
        try (Publisher publisher = Transports.publisher(args[0]))
        {
            for (long sequence = 0; sequence < count; sequence++)
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int index;
                while ((index = publisher.tryClaim(SequencedFrames.TYPE_ID, SequencedFrames.LENGTH)) < 0)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        System.err.println("writer: no room for 60 s at frame " + sequence);
                        System.exit(1);
                    }
                    Thread.onSpinWait();
                }
                SequencedFrames.write(publisher.buffer(), index, sequence);
                publisher.commit(index);
            }
        }
        System.out.println("done " + count);
    }
}
