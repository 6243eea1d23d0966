package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the idle-CPU measurement: a consumer with a transport's wait strategy on a ring nobody writes to,
 * calling {@code take} in slices (as the harness's blocking receiver does) for the given seconds. Says it is ready,
 * measures its own thread's CPU time over those seconds, writes it (with the wall time and its sleep calls) to the
 * result file, then stays alive until its stdin closes, so the parent can read the whole process's CPU time from
 * {@code /proc} first. A message arriving is an error.
 */
@Command(name = "idle-consumer", description = "Internal: a consumer blocked on an empty ring, for the idle-CPU table.")
public final class IdleConsumerChild implements Callable<Integer>
{
    /** Each take's timeout, as the harness's blocking receiver. */
    static final long SLICE_MS = 100;

    @Mixin
    private ChildOptions child;

    @Option(names = "--transport", required = true)
    private String transportName;

    @Option(names = "--ring", required = true)
    private Path ring;

    @Option(names = "--seconds", required = true)
    private int seconds;

    private IdleConsumerChild()
    {
    }

    /**
     * @param args see the options.
     */
    public static void main(final String[] args)
    {
        System.exit(ChildCommands.execute(new IdleConsumerChild(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        final ShmRingTransport transport = IdleCpu.transport(Peers.transport(transportName));
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final MessageHandler unexpected = (typeId, buffer, offset, length) ->
        {
            throw new IllegalStateException("a message arrived on the idle ring: typeId=" + typeId + " length=" + length);
        };
        try (RingFile file = RingFile.open(ring, transport.kind());
            SpscConsumer consumer = new SpscConsumer(file, transport.waitStrategy()))
        {
            consumer.wakeups().prepare();
            Handshake.write(child.readyFile(), Map.of());
            final long waits = consumer.wakeups().waitCalls();
            final long cpu = threads.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            final long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0)
            {
                final int taken = consumer.take(unexpected, 1, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(SLICE_MS)),
                    TimeUnit.NANOSECONDS);
                if (taken != 0)
                {
                    throw new IllegalStateException("take on the idle ring returned " + taken);
                }
            }
            final long wall = System.nanoTime() - start;
            Handshake.write(child.resultFile(), Map.of(
                "thread_cpu_ns", String.valueOf(threads.getCurrentThreadCpuTime() - cpu),
                "wall_ns", String.valueOf(wall),
                "waits", String.valueOf(consumer.wakeups().waitCalls() - waits)));
            while (System.in.read() != -1)
            {
                // the parent closes stdin once it has read this process's CPU time
            }
        }
        return 0;
    }
}
