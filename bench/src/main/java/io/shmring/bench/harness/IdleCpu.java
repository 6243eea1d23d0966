package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscProducer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a consumer costs while it waits for nothing: for each selected blocking shmring transport, a ring with a
 * producer that never writes, and an {@link IdleConsumerChild} JVM blocked on it for the given seconds, all children at
 * once (they sleep; each one's CPU time is its own). Reports each child's consumer-thread CPU (its ThreadMXBean) and
 * whole-process CPU (utime + stime from {@code /proc/PID/stat}, read by this process when the child says it started
 * and when it says it finished) as a percentage of one CPU over that time.
 */
final class IdleCpu
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long EXIT_TIMEOUT_S = 60;
    private static final long DEFAULT_CLOCK_TICKS = 100;
    private static final List<String> HEADER = List.of("transport", "idle s", "consumer thread CPU %", "whole JVM CPU %",
        "sleeps/s");

    private IdleCpu()
    {
    }

    /**
     * One consumer's figures.
     *
     * @param transport     the transport whose wait the consumer used.
     * @param seconds       how long it waited (its own wall clock), s.
     * @param threadPercent its consumer thread's CPU time over that time, % of one CPU.
     * @param processPercent its whole JVM's CPU time between this process's two reads of {@code /proc}, % of one CPU.
     * @param sleepsPerSecond its native sleep calls per second.
     */
    record Result(String transport, double seconds, double threadPercent, double processPercent, double sleepsPerSecond)
    {
    }

    /**
     * @param peer a selected transport.
     * @return true if the idle table measures it: a shmring SPSC transport whose receiving side may sleep.
     */
    static boolean measures(final MeasuredPeer peer)
    {
        return peer instanceof ShmRingTransport ring && ring.blocking() && ring.kind() == RingKind.SPSC;
    }

    /**
     * @param transport a transport by name.
     * @return it as a shmring ring transport the idle table measures.
     * @throws IllegalArgumentException if it is not one.
     */
    static ShmRingTransport transport(final Transport transport)
    {
        if (!measures(transport))
        {
            throw new IllegalArgumentException("not a blocking shmring SPSC transport: transport=" + transport.name());
        }
        return (ShmRingTransport)transport;
    }

    /**
     * @param transports the transports to measure ({@link #measures} each).
     * @param seconds    how long each consumer waits, {@code >= 1}.
     * @param directory  an existing directory for the rings and handshake files (deleted by the caller).
     * @param pinning    each child runs where the echo children run.
     * @param stallNanos the harness's stall timeout, passed to the children as every child's.
     * @return one result per transport, in order.
     * @throws Exception if a child fails, a message arrives, or a child does not start or finish in time.
     */
    static List<Result> measure(final List<ShmRingTransport> transports, final int seconds, final Path directory,
        final CpuPinning pinning, final long stallNanos) throws Exception
    {
        final List<Consumer> consumers = new ArrayList<>();
        final List<AutoCloseable> resources = new ArrayList<>();
        try
        {
            for (final ShmRingTransport transport : transports)
            {
                final Path ring = directory.resolve("idle-" + transport.name() + ".ring");
                final RingFile file = RingFile.create(ring, transport.config());
                resources.add(() ->
                {
                    file.close();
                    file.delete();
                });
                resources.add(new SpscProducer(file, transport.waitStrategy()));
                consumers.add(Consumer.start(transport, ring, seconds, directory, pinning, stallNanos));
            }
            final long ticksPerSecond = clockTicksPerSecond();
            final long deadline = System.nanoTime() + START_TIMEOUT_NS + TimeUnit.SECONDS.toNanos(seconds);
            while (!consumers.stream().allMatch(Consumer::done))
            {
                for (final Consumer consumer : consumers)
                {
                    consumer.poll();
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("an idle consumer did not finish within " + seconds + " s + " +
                        TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NS) + " s");
                }
                LockSupport.parkNanos(POLL_NS);
            }
            final List<Result> results = new ArrayList<>();
            for (final Consumer consumer : consumers)
            {
                results.add(consumer.result(ticksPerSecond));
            }
            return results;
        }
        finally
        {
            final List<Process> children = new ArrayList<>();
            for (final Consumer consumer : consumers)
            {
                children.add(consumer.process);
            }
            ChildCommands.killAll(children);
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                Closer.closeAll(resources.get(i));
            }
        }
    }

    /**
     * @param results what {@link #measure} returned.
     * @param seconds the idle time asked for.
     * @return the table as aligned text, with its title.
     */
    static String text(final List<Result> results, final int seconds)
    {
        return "Idle consumer CPU (" + title(seconds) + ")\n" + ResultTable.aligned(HEADER, rows(results));
    }

    /**
     * @param results what {@link #measure} returned.
     * @param seconds the idle time asked for.
     * @return the table in Markdown, with its title.
     */
    static String markdown(final List<Result> results, final int seconds)
    {
        return "**Idle consumer CPU** (" + title(seconds) + ")\n\n" + ResultTable.markdown(HEADER, rows(results));
    }

    private static String title(final int seconds)
    {
        return "a consumer child per transport blocked on an empty ring for " + seconds + " s, take in " +
            IdleConsumerChild.SLICE_MS + " ms slices, all at once; % of one CPU";
    }

    private static List<List<String>> rows(final List<Result> results)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final Result r : results)
        {
            rows.add(List.of(r.transport(), String.format(Locale.ROOT, "%.1f", r.seconds()),
                String.format(Locale.ROOT, "%.3f", r.threadPercent()), String.format(Locale.ROOT, "%.2f", r.processPercent()),
                String.format(Locale.ROOT, "%.1f", r.sleepsPerSecond())));
        }
        return rows;
    }

    /**
     * @return clock ticks per second of {@code /proc/PID/stat}'s times: {@code getconf CLK_TCK}, or 100 if that fails.
     */
    static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0)
            {
                final long ticks = Long.parseLong(output);
                if (ticks > 0)
                {
                    return ticks;
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // no getconf, or it printed something else: Linux's USER_HZ is 100
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS;
    }

    /**
     * @param stat the text of {@code /proc/PID/stat}.
     * @return utime + stime, in clock ticks.
     * @throws IllegalArgumentException naming the text if it has too few fields.
     */
    static long cpuTicks(final String stat)
    {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" +");
        if (fields.length < 13)
        {
            throw new IllegalArgumentException("not a /proc/PID/stat line: stat=" + stat);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15: utime, stime
    }

    private static long cpuTicks(final long pid)
    {
        final Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try
        {
            return cpuTicks(Files.readString(stat, StandardCharsets.US_ASCII));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + stat, ex);
        }
    }

    /**
     * One idle child and what this process saw of it.
     */
    private static final class Consumer
    {
        private final String name;
        private final Process process;
        private final Path ready;
        private final Path result;
        private long startTicks = -1;
        private long startNs;
        private long endTicks = -1;
        private long endNs;

        private Consumer(final String name, final Process process, final Path ready, final Path result)
        {
            this.name = name;
            this.process = process;
            this.ready = ready;
            this.result = result;
        }

        static Consumer start(final ShmRingTransport transport, final Path ring, final int seconds, final Path directory,
            final CpuPinning pinning, final long stallNanos) throws IOException
        {
            final Path ready = directory.resolve("idle-" + transport.name() + ".ready");
            final Path result = directory.resolve("idle-" + transport.name() + ".result");
            final List<String> args = new ArrayList<>(ChildOptions.args(directory, ready, result, stallNanos));
            args.addAll(List.of("--transport", transport.name(), "--ring", ring.toString(), "--seconds", String.valueOf(seconds)));
            final ProcessBuilder builder = ChildJvm.builder(IdleConsumerChild.class, List.of(), args);
            pinning.pinChild(builder.command());
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return new Consumer(transport.name(), builder.start(), ready, result);
        }

        boolean done()
        {
            return endTicks >= 0;
        }

        /**
         * Take the start reading once the child is ready, the end reading once it wrote its result (then let it go).
         */
        void poll() throws IOException
        {
            if (done())
            {
                return;
            }
            if (startTicks < 0 && Files.exists(ready))
            {
                startTicks = cpuTicks(process.pid());
                startNs = System.nanoTime();
            }
            else if (startTicks >= 0 && Files.exists(result))
            {
                endTicks = cpuTicks(process.pid());
                endNs = System.nanoTime();
                process.getOutputStream().close();
            }
            else if (!process.isAlive())
            {
                throw new IllegalStateException("idle consumer " + name + " exited with code " + process.exitValue() +
                    " before " + (startTicks < 0 ? "it was ready" : "its result"));
            }
        }

        Result result(final long ticksPerSecond) throws InterruptedException
        {
            if (!process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("idle consumer " + name + " did not exit cleanly within " + EXIT_TIMEOUT_S +
                    " s: " + (process.isAlive() ? "still running" : "exit code " + process.exitValue()));
            }
            final Map<String, String> values = Handshake.read(result);
            final double wallNs = Long.parseLong(values.get("wall_ns"));
            final double seenNs = endNs - startNs;
            return new Result(name, wallNs / 1e9, 100.0 * Long.parseLong(values.get("thread_cpu_ns")) / wallNs,
                100.0 * (endTicks - startTicks) / ticksPerSecond / (seenNs / 1e9),
                Long.parseLong(values.get("waits")) / (wallNs / 1e9));
        }
    }
}
