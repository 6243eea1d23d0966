package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscProducer;

import java.io.IOException;
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
 * producer that never writes, and {@link IdleConsumerChild} JVMs blocked on it for the given seconds — one calling
 * {@code take} in {@value IdleConsumerChild#SLICE_MS} ms slices in a loop (as the harness's blocking receiver does),
 * one calling {@code take} once with the whole time as its timeout (a consumer that simply waits) — plus the floor, a
 * bare JVM that sleeps in {@link Thread#sleep}; all children at once (they sleep; each one's CPU time is its own).
 * Reports each child's consumer-thread CPU (its ThreadMXBean), whole-process CPU (utime + stime from
 * {@code /proc/PID/stat}, read by this process when the child says it started and when it says it finished), that
 * minus the floor's, the consumer's native sleep calls, the whole JVM's wake-ups (voluntary context switches of its
 * threads, from {@code /proc/PID/task/TID/status}) and system calls ({@link SyscallCounter}), per second.
 */
final class IdleCpu
{
    /** The floor row's transport column. */
    static final String FLOOR = "bare JVM (Thread.sleep)";
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long EXIT_TIMEOUT_S = 60;
    private static final List<String> HEADER = List.of("transport", "take", "idle s", "consumer thread CPU %",
        "whole JVM CPU %", "JVM above floor %", "sleeps/s", "JVM wake-ups/s", "JVM syscalls/s");

    private IdleCpu()
    {
    }

    /**
     * One child's figures.
     *
     * @param transport         the transport whose wait the consumer used, or {@link #FLOOR}.
     * @param takeMs            each take's timeout, ms; 0 for one take over the whole time (and for the floor).
     * @param seconds           how long it waited (its own wall clock), s.
     * @param threadPercent     its consumer (or sleeping) thread's CPU time over that time, % of one CPU.
     * @param processPercent    its whole JVM's CPU time between this process's two reads of {@code /proc}, % of one CPU.
     * @param sleepsPerSecond   its native sleep calls per second (NaN for the floor).
     * @param wakeupsPerSecond  its threads' voluntary context switches per second over the same reads.
     * @param syscallsPerSecond its system calls per second, or NaN if they could not be counted.
     */
    record Result(String transport, long takeMs, double seconds, double threadPercent, double processPercent,
        double sleepsPerSecond, double wakeupsPerSecond, double syscallsPerSecond)
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
     * @return the floor's result, then two per transport (take in slices, one long take), in order.
     * @throws Exception if a child fails, a message arrives, or a child does not start or finish in time.
     */
    static List<Result> measure(final List<ShmRingTransport> transports, final int seconds, final Path directory,
        final CpuPinning pinning, final long stallNanos) throws Exception
    {
        final List<Consumer> consumers = new ArrayList<>();
        final List<AutoCloseable> resources = new ArrayList<>();
        try
        {
            consumers.add(Consumer.start(null, 0, null, seconds, directory, pinning, stallNanos));
            for (final ShmRingTransport transport : transports)
            {
                for (final long takeMs : new long[] { IdleConsumerChild.SLICE_MS, 0 })
                {
                    final Path ring = directory.resolve("idle-" + transport.name() + "-" + takeMs + ".ring");
                    final RingFile file = RingFile.create(ring, transport.config());
                    resources.add(() ->
                    {
                        file.close();
                        file.delete();
                    });
                    resources.add(new SpscProducer(file, transport.waitStrategy()));
                    consumers.add(Consumer.start(transport, takeMs, ring, seconds, directory, pinning, stallNanos));
                }
            }
            final long ticksPerSecond = ProcCounters.clockTicksPerSecond();
            final long deadline = System.nanoTime() + START_TIMEOUT_NS + TimeUnit.SECONDS.toNanos(seconds);
            while (!consumers.stream().allMatch(Consumer::done))
            {
                for (final Consumer consumer : consumers)
                {
                    consumer.poll(seconds);
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
        return "a consumer child per transport and take blocked on an empty ring for " + seconds + " s, take in " +
            IdleConsumerChild.SLICE_MS + " ms slices in a loop or one take of the whole time, all at once, beside a bare " +
            "JVM asleep (the floor); % of one CPU; wake-ups: voluntary context switches; syscalls: perf " +
            SyscallCounter.EVENT;
    }

    private static List<List<String>> rows(final List<Result> results)
    {
        double floor = Double.NaN;
        for (final Result r : results)
        {
            if (r.transport().equals(FLOOR))
            {
                floor = r.processPercent();
            }
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final Result r : results)
        {
            final boolean isFloor = r.transport().equals(FLOOR);
            rows.add(List.of(r.transport(), isFloor ? "-" : r.takeMs() == 0 ? "one take" : r.takeMs() + " ms",
                String.format(Locale.ROOT, "%.1f", r.seconds()),
                String.format(Locale.ROOT, "%.3f", r.threadPercent()), String.format(Locale.ROOT, "%.2f", r.processPercent()),
                isFloor ? "-" : format("%.2f", r.processPercent() - floor), isFloor ? "-" : format("%.1f", r.sleepsPerSecond()),
                format("%.1f", r.wakeupsPerSecond()), format("%.0f", r.syscallsPerSecond())));
        }
        return rows;
    }

    private static String format(final String format, final double value)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    /**
     * One idle child and what this process saw of it.
     */
    private static final class Consumer
    {
        private final String name;
        private final long takeMs;
        private final Process process;
        private final Path ready;
        private final Path result;
        private long startTicks = -1;
        private long startSwitches;
        private long startNs;
        private long endTicks = -1;
        private long endSwitches;
        private long endNs;
        private SyscallCounter syscalls;
        private int syscallSeconds;

        private Consumer(final String name, final long takeMs, final Process process, final Path ready, final Path result)
        {
            this.name = name;
            this.takeMs = takeMs;
            this.process = process;
            this.ready = ready;
            this.result = result;
        }

        /**
         * @param transport null for the floor.
         * @param takeMs    each take's timeout, ms, or 0 for one take.
         * @param ring      the ring (null for the floor).
         */
        static Consumer start(final ShmRingTransport transport, final long takeMs, final Path ring, final int seconds,
            final Path directory, final CpuPinning pinning, final long stallNanos) throws IOException
        {
            final String name = transport == null ? FLOOR : transport.name();
            final String file = "idle-" + (transport == null ? "floor" : transport.name() + "-" + takeMs);
            final Path ready = directory.resolve(file + ".ready");
            final Path result = directory.resolve(file + ".result");
            final List<String> args = new ArrayList<>(ChildOptions.args(directory, ready, result, stallNanos));
            args.addAll(List.of("--seconds", String.valueOf(seconds), "--take-ms", String.valueOf(takeMs)));
            if (transport == null)
            {
                args.add("--bare");
            }
            else
            {
                args.addAll(List.of("--transport", transport.name(), "--ring", ring.toString()));
            }
            final ProcessBuilder builder = ChildJvm.builder(IdleConsumerChild.class, List.of(), args);
            pinning.pinChild(builder.command());
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return new Consumer(name, takeMs, builder.start(), ready, result);
        }

        boolean done()
        {
            return endTicks >= 0;
        }

        /**
         * Take the start reading once the child is ready, the end reading once it wrote its result (then let it go).
         */
        void poll(final int seconds) throws IOException
        {
            if (done())
            {
                return;
            }
            if (startTicks < 0 && Files.exists(ready))
            {
                startTicks = ProcCounters.cpuTicks(process.pid());
                startSwitches = ProcCounters.voluntarySwitches(process.pid());
                startNs = System.nanoTime();
                syscallSeconds = Math.max(1, seconds - 1); // ends before the child stops waiting
                syscalls = SyscallCounter.start(process.pid(), syscallSeconds);
            }
            else if (startTicks >= 0 && Files.exists(result))
            {
                endTicks = ProcCounters.cpuTicks(process.pid());
                endSwitches = ProcCounters.voluntarySwitches(process.pid());
                endNs = System.nanoTime();
            }
            else if (!process.isAlive())
            {
                throw new IllegalStateException("idle consumer " + name + " exited with code " + process.exitValue() +
                    " before " + (startTicks < 0 ? "it was ready" : "its result"));
            }
        }

        Result result(final long ticksPerSecond) throws InterruptedException, IOException
        {
            final long counted = syscalls.count(); // perf detached before the child stopped waiting
            process.getOutputStream().close();
            if (!process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("idle consumer " + name + " did not exit cleanly within " + EXIT_TIMEOUT_S +
                    " s: " + (process.isAlive() ? "still running" : "exit code " + process.exitValue()));
            }
            final Map<String, String> values = Handshake.read(result);
            final double wallNs = Long.parseLong(values.get("wall_ns"));
            final double seenS = (endNs - startNs) / 1e9;
            final String waits = values.get("waits");
            return new Result(name, takeMs, wallNs / 1e9, 100.0 * Long.parseLong(values.get("thread_cpu_ns")) / wallNs,
                100.0 * (endTicks - startTicks) / ticksPerSecond / seenS,
                waits == null ? Double.NaN : Long.parseLong(waits) / (wallNs / 1e9),
                (endSwitches - startSwitches) / seenS, counted < 0 ? Double.NaN : (double)counted / syscallSeconds);
        }
    }
}
