package io.shmring.ringbuffer;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child JVM of {@link SpscCrossProcessTest}: produces or consumes checked messages on a ring file the
 * parent created. Prints one result line; exits 0 on success, 1 on a verification failure, 2 when
 * its own deadline passes (so a lost parent never leaves it spinning).
 * <p>
 * Usage: {@code produce|consume <ring file> <count>}
 */
public final class SpscCrossProcessChild
{
    static final long DEADLINE_MS = 180_000;

    private SpscCrossProcessChild()
    {
    }

    public static void main(final String[] args)
    {
        final String mode = args[0];
        final Path path = Paths.get(args[1]);
        final int count = Integer.parseInt(args[2]);
        final long deadline = System.currentTimeMillis() + DEADLINE_MS;
        try (RingFile file = RingFile.open(path, RingKind.SPSC))
        {
            if ("produce".equals(mode))
            {
                try (SpscProducer producer = new SpscProducer(file))
                {
                    CheckedTraffic.produceByClaim(producer, count, deadline);
                }
                System.out.println("PRODUCED " + count);
            }
            else
            {
                try (SpscConsumer consumer = new SpscConsumer(file))
                {
                    final CheckedTraffic.Result result = CheckedTraffic.consume(consumer, count, deadline, () -> true);
                    System.out.println("CONSUMED " + result);
                    System.exit(result.error() == null ? 0 : 1);
                }
            }
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("FAILED " + ex.getMessage());
            System.exit(2);
        }
    }
}
