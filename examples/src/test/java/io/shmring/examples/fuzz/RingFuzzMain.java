package io.shmring.examples.fuzz;

import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Runs fuzz cases in a JVM of its own, for {@link RingFileFuzzTest}'s run with Agrona's bounds checks disabled: there
 * an unchecked length reaches raw memory, so a validation gap is a SIGSEGV rather than an exception. First the issue's
 * case 1 exactly (length 0x7FFFFFFF at file offset 8192 of a 4 KiB SPSC ring after one send), then the cases.
 * Prints one line per result and "FUZZ OK" at the end; any failure ends it with a stack trace and exit code 1.
 */
public final class RingFuzzMain
{
    private RingFuzzMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long seed = Long.parseLong(args[0]);
        final int cases = Integer.parseInt(args[1]);
        System.out.println("bounds checks disabled: " + Boolean.getBoolean("agrona.disable.bounds.checks"));
        System.out.println("case 1 of the issue: " + frameLengthNearIntMax());
        final RingFuzz fuzz = new RingFuzz(seed);
        for (int i = 0; i < cases; i++)
        {
            fuzz.run(i);
        }
        System.out.println("cases " + fuzz.casesByMutation());
        System.out.println("outcomes " + fuzz.outcomes());
        System.out.println("FUZZ OK");
    }

    private static String frameLengthNearIntMax()
    {
        final Path path = TestPaths.uniqueShmPath("fuzz-case1");
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096)); SpscProducer producer = new SpscProducer(file);
             SpscConsumer consumer = new SpscConsumer(file))
        {
            producer.offer(1, new UnsafeBuffer(new byte[5]), 0, 5);
            file.buffer().putInt(8192, 0x7FFFFFFF);
            consumer.poll((typeId, buffer, offset, length) -> buffer.getBytes(offset, new byte[length]), 1);
            return "delivered (wrong)";
        }
        catch (final CorruptRingException ex)
        {
            return ex.getClass().getSimpleName() + " " + ex.field() + "=" + ex.value();
        }
        finally
        {
            TestPaths.deleteQuietly(path);
        }
    }
}
