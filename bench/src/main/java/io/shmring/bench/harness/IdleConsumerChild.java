package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the idle-CPU measurement: a consumer with a transport's wait strategy on a ring nobody writes to,
 * calling {@code take} for the given seconds — in slices ({@code --take-ms}, as the harness's blocking receiver does)
 * or once with the whole time as its timeout ({@code --take-ms 0}) — or, with {@code --bare}, no ring at all: a JVM
 * whose thread sleeps in {@link Thread#sleep} for those seconds (the floor). Says it is ready, measures its own
 * thread's CPU time over those seconds, writes it (with the wall time and its sleep calls) to the result file, then
 * stays alive until its stdin closes, so the parent can read the whole process's CPU time from {@code /proc} first.
 * A message arriving is an error.
 */
@Command(name = "idle-consumer", description = "Internal: a consumer blocked on an empty ring, for the idle-CPU table.")
public final class IdleConsumerChild implements Callable<Integer>
{
    /** Each take's timeout in the sliced mode, as the harness's blocking receiver. */
    static final long SLICE_MS = 100;

    @Mixin
    private ChildOptions child;

    @Option(names = "--transport")
    private String transportName;

    @Option(names = "--ring")
    private Path ring;

    @Option(names = "--seconds", required = true)
    private int seconds;

    @Option(names = "--take-ms", defaultValue = "" + SLICE_MS)
    private long takeMs;

    @Option(names = "--bare")
    private boolean bare;

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
        if (takeMs < 0)
        {
            throw new IllegalArgumentException("--take-ms must not be negative: takeMs=" + takeMs);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (bare)
        {
            Handshake.write(child.readyFile(), Map.of());
            final long cpu = threads.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            final long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0)
            {
                TimeUnit.NANOSECONDS.sleep(remaining);
            }
            finish(threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - start, Map.of());
            return 0;
        }
        if (transportName == null || ring == null)
        {
            throw new IllegalArgumentException("--transport and --ring are needed without --bare: transport=" +
                transportName + " ring=" + ring);
        }
        final ShmRingTransport transport = IdleCpu.transport(Peers.transport(transportName));
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
            final long sliceNanos = takeMs == 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(takeMs);
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0)
            {
                final int taken = consumer.take(unexpected, 1, Math.min(remaining, sliceNanos), TimeUnit.NANOSECONDS);
                if (taken != 0)
                {
                    throw new IllegalStateException("take on the idle ring returned " + taken);
                }
            }
            finish(threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - start,
                Map.of("waits", String.valueOf(consumer.wakeups().waitCalls() - waits)));
        }
        return 0;
    }

    /**
     * Write the result, then wait for the parent to close stdin once it has read this process's CPU time.
     */
    private void finish(final long threadCpuNanos, final long wallNanos, final Map<String, String> more) throws IOException
    {
        final Map<String, String> values = new HashMap<>(more);
        values.put("thread_cpu_ns", String.valueOf(threadCpuNanos));
        values.put("wall_ns", String.valueOf(wallNanos));
        Handshake.write(child.resultFile(), values);
        while (System.in.read() != -1)
        {
            // the parent closes stdin once it has read this process's CPU time
        }
    }
}
