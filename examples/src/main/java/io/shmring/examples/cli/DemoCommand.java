package io.shmring.examples.cli;

import io.shmring.core.ChildJvm;
import io.shmring.core.SharedMemoryDirectory;
import io.shmring.examples.pair.PairConsumer;
import io.shmring.examples.pair.PairMessage;
import io.shmring.examples.pair.PairProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring demo}: a producer process and a consumer process on one SPSC ring file in
 * {@code /dev/shm}. The consumer checks sequence numbers and prints rate and latency; the ring
 * file is removed at the end. Exit code 0 only if every message arrived in order.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a producer process and a consumer process on one shared-memory ring.")
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--count", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    private long count = 3_000_000;

    @Option(names = "--size", description = "Message payload bytes, >= 16 (default: ${DEFAULT-VALUE}).")
    private int size = 64;

    @Option(names = "--rate", description = "Messages per second, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    private long rate = 1_000_000;

    @Option(names = "--capacity", description = "Ring data bytes, a power of 2 (default: ${DEFAULT-VALUE}).")
    private int capacity = 1 << 20;

    @Override
    public Integer call() throws Exception
    {
        if (size < PairMessage.MIN_LENGTH)
        {
            throw new IllegalArgumentException("--size must be at least " + PairMessage.MIN_LENGTH + ": size=" + size);
        }
        final Path path = SharedMemoryDirectory.resolve("shmring-demo-" + ProcessHandle.current().pid());
        final RingConfig config = RingConfig.spsc(capacity).withMaxMessageLength(Math.max(size, capacity / 8));
        try (RingFile ring = RingFile.create(path, config))
        {
            System.out.printf("demo: ring %s, %s, %,d B capacity; sending %,d messages of %d B at %s%n",
                path, ring.kind(), ring.capacity(), count, size, rate > 0 ? String.format("%,d msgs/s", rate) : "full speed");
            final Process consumer = start(PairConsumer.class, path.toString(), String.valueOf(count));
            final Process producer = start(PairProducer.class, path.toString(), String.valueOf(count),
                String.valueOf(size), String.valueOf(rate));
            final int producerExit = awaitExit(producer);
            final int consumerExit = awaitExit(consumer);
            System.out.printf("demo: producer exit %d, consumer exit %d%n", producerExit, consumerExit);
            return producerExit == 0 && consumerExit == 0 ? 0 : 1;
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    private static Process start(final Class<?> main, final String... args) throws java.io.IOException
    {
        return ChildJvm.builder(main, List.of("-Xmx256m"), List.of(args)).inheritIO().start();
    }

    private static int awaitExit(final Process process) throws InterruptedException
    {
        if (!process.waitFor(10, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
