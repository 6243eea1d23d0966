package io.shmring.bench.harness;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One measured run of the C floor: one mode, one round, every size. Starts the measuring process (pinned where the
 * parent JVM runs; it creates the mapping and says it is ready in a file), then the echoing process (pinned where
 * child JVMs run), follows the measuring side's {@code phase} lines on its stdout for the progress display, and when
 * both exited turns their output into the same figures the Java peers get: each phase's raw latencies into an
 * HdrHistogram like {@link ChildRun}'s, the rate from the measured part's elapsed time, and both processes' futex
 * wait and wake calls per message. Checks the counts: every round trip checked and echoed, every one-way message sent
 * and received, every sampled one-way latency present. Files go in the run's directory, deleted after.
 */
final class CPingPongRun
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long EXIT_TIMEOUT_S = 60;
    private static final long POLL_MS = 100;

    private final CPingPong peer;
    private final Path program;
    private final PeerRun run;
    private final List<String> echoOptions;
    private final Histogram histogram = new Histogram(ChildRun.HIGHEST_TRACKABLE_NS, 3);

    /**
     * @param peer        which mode.
     * @param program     the built {@code pingpong}.
     * @param run         plans, round, directory (made and deleted by {@link #run}), pinning, stall timeout.
     * @param echoOptions more options for the echoing process (tests: {@code --fault-at N}); usually none.
     */
    CPingPongRun(final CPingPong peer, final Path program, final PeerRun run, final List<String> echoOptions)
    {
        this.peer = peer;
        this.program = program;
        this.run = run;
        this.echoOptions = echoOptions;
    }

    /**
     * @param listener told as each phase starts (from another thread).
     * @return one result per measured size and mode.
     * @throws Exception if a process fails (its stderr is in the message), a count does not add up, or a file is missing.
     */
    List<PhaseResult> run(final MeasuredPeer.PhaseListener listener) throws Exception
    {
        final Path directory = run.directory();
        Files.createDirectories(directory);
        Process measuring = null;
        Process echoing = null;
        try
        {
            final List<String> measure = command("measure");
            measure.addAll(List.of("--capacity", String.valueOf(Transport.RING_CAPACITY), "--out", directory.toString(),
                "--ready", directory.resolve("ready").toString()));
            measuring = start(measure, run.pinning()::pinAsParent, "measure");
            final Thread phases = follow(measuring, listener);
            try
            {
                Handshake.await(directory.resolve("ready"), measuring, START_TIMEOUT_NS);
            }
            catch (final IllegalStateException ex)
            {
                throw new IllegalStateException(peer.name() + ": measuring process did not start: " + ex.getMessage() + "; " +
                    outcome(measuring, "measure"), ex);
            }
            final List<String> echo = command("echo");
            echo.addAll(echoOptions);
            echoing = start(echo, run.pinning()::pinChild, "echo");
            while (!measuring.waitFor(POLL_MS, TimeUnit.MILLISECONDS))
            {
                if (!echoing.isAlive() && echoing.exitValue() != 0)
                {
                    break; // the measuring side would see it too, but later
                }
            }
            stop(measuring);
            stop(echoing);
            phases.join(TimeUnit.SECONDS.toMillis(EXIT_TIMEOUT_S));
            if (measuring.exitValue() != 0 || echoing.exitValue() != 0)
            {
                throw new IllegalStateException(peer.name() + ": measuring process " + outcome(measuring, "measure") +
                    "; echoing process " + outcome(echoing, "echo"));
            }
            return results(Handshake.read(directory.resolve("result")), Handshake.read(directory.resolve("echo-result")));
        }
        finally
        {
            for (final Process process : new Process[] { echoing, measuring })
            {
                if (process != null && process.isAlive())
                {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            ChildRun.deleteRecursively(directory);
        }
    }

    private List<String> command(final String role)
    {
        final Path directory = run.directory();
        return new ArrayList<>(List.of(program.toString(), role,
            "--mode", peer.mode(),
            "--file", directory.resolve(peer.name() + ".map").toString(),
            "--plan", SizePlan.encode(run.allPlans()),
            "--result", directory.resolve("measure".equals(role) ? "result" : "echo-result").toString(),
            "--stall-ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(run.stallNanos()))));
    }

    private Process start(final List<String> command, final Consumer<List<String>> pin, final String role) throws IOException
    {
        pin.accept(command);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(run.directory().resolve(role + ".err").toFile());
        if (!"measure".equals(role))
        {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        final Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /**
     * @return a daemon thread passing the measuring side's {@code phase INDEX SIZE MODE} lines to the listener.
     */
    private static Thread follow(final Process measuring, final MeasuredPeer.PhaseListener listener)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(measuring.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    final String[] words = line.split(" ");
                    if (words.length == 4 && "phase".equals(words[0]))
                    {
                        listener.onPhase(Integer.parseInt(words[2]), "0".equals(words[1]) ? PeerRun.JIT_PHASE : words[3]);
                    }
                }
            }
            catch (final IOException ex)
            {
                // the process ended: its exit code and stderr tell why
            }
        }, "c-pingpong-phases");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(final Process process) throws InterruptedException
    {
        if (!process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String outcome(final Process process, final String role) throws IOException
    {
        final Path errors = run.directory().resolve(role + ".err");
        final String text = Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8).trim() : "";
        return (process.isAlive() ? "running" : "exit code " + process.exitValue()) + (text.isEmpty() ? "" : ": " + text);
    }

    private List<PhaseResult> results(final Map<String, String> measured, final Map<String, String> echoed)
    {
        final List<PhaseResult> results = new ArrayList<>();
        final List<SizePlan> plans = run.plans();
        for (int i = 0; i < plans.size(); i++)
        {
            final int index = i + 1; // the programs' plan 0 is the JIT warm-up
            final SizePlan plan = plans.get(i);
            results.add(roundTrips(index, plan, measured, echoed));
            results.add(oneway(index, plan, measured, echoed));
        }
        return results;
    }

    private PhaseResult roundTrips(final int index, final SizePlan plan, final Map<String, String> measured,
        final Map<String, String> echoed)
    {
        final String prefix = index + "." + PhaseResult.RTT + ".";
        final long total = (long)plan.rttWarmup() + plan.rttCount();
        expect(measured, prefix + "checked", total);
        expect(echoed, prefix + "echoed", total);
        record(index, PhaseResult.RTT, plan.rttCount());
        return result(prefix, PhaseResult.RTT, plan.size(), plan.rttCount(), 2L * plan.rttCount(), measured, echoed);
    }

    private PhaseResult oneway(final int index, final SizePlan plan, final Map<String, String> measured,
        final Map<String, String> echoed)
    {
        final String prefix = index + "." + PhaseResult.ONEWAY + ".";
        final long total = (long)plan.onewayWarmup() + plan.onewayCount();
        expect(measured, prefix + "received", total);
        expect(echoed, prefix + "sent", total);
        expect(measured, prefix + "sampled", sampledBetween(plan.onewayWarmup(), total));
        record(index, PhaseResult.ONEWAY, sampledBetween(plan.onewayWarmup(), total));
        final long count = number(measured, prefix + "measured");
        return result(prefix, PhaseResult.ONEWAY, plan.size(), count, count, measured, echoed);
    }

    /**
     * @param count    round trips or one-way messages measured: the rate is this many over the elapsed time.
     * @param messages messages moved in the measured part, which the two processes' futex calls are divided by.
     * @return the phase's figures from the histogram as {@link #record} left it.
     */
    private PhaseResult result(final String prefix, final String mode, final int size, final long count, final long messages,
        final Map<String, String> measured, final Map<String, String> echoed)
    {
        return PhaseResult.of(peer.name(), mode, size, run.round(), count, histogram,
            count * 1e9 / number(measured, prefix + "elapsed_ns"))
            .withWakeups(perMessage(measured, echoed, prefix + "waits", messages),
                perMessage(measured, echoed, prefix + "wakes", messages));
    }

    /**
     * @return how many sequences in [from, to) carry a send time (every {@link MessageLayout#TIMESTAMP_SAMPLE_MASK} + 1).
     */
    static long sampledBetween(final long from, final long to)
    {
        final long every = MessageLayout.TIMESTAMP_SAMPLE_MASK + 1;
        return Math.floorDiv(to + every - 1, every) - Math.floorDiv(from + every - 1, every);
    }

    /**
     * Fill the histogram with a phase's latencies, which must number exactly {@code expected}.
     */
    private void record(final int index, final String mode, final long expected)
    {
        final Path file = run.directory().resolve(index + "." + mode + ".lat");
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        if (bytes.length != expected * Long.BYTES)
        {
            throw new IllegalStateException(peer.name() + ": " + file.getFileName() + " holds " + bytes.length / Long.BYTES +
                " latencies, expected " + expected);
        }
        final LongBuffer values = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asLongBuffer();
        histogram.reset();
        while (values.hasRemaining())
        {
            histogram.recordValue(Math.max(0, Math.min(values.get(), ChildRun.HIGHEST_TRACKABLE_NS)));
        }
    }

    private double perMessage(final Map<String, String> measured, final Map<String, String> echoed, final String key,
        final long messages)
    {
        return (double)(number(measured, key) + number(echoed, key)) / messages;
    }

    private void expect(final Map<String, String> values, final String key, final long expected)
    {
        final long actual = number(values, key);
        if (actual != expected)
        {
            throw new IllegalStateException(peer.name() + ": " + key + "=" + actual + ", expected " + expected);
        }
    }

    private long number(final Map<String, String> values, final String key)
    {
        final String text = values.get(key);
        if (text == null)
        {
            throw new IllegalStateException(peer.name() + ": the programs reported no " + key + " (got " + values.keySet() + ")");
        }
        return Long.parseLong(text);
    }
}
