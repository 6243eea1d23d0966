package io.shmring.bench.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar shmring-bench.jar}: round-trip latency and one-way throughput of shmring and its peers
 * between two processes, measured the same way in the same run. Each round runs every selected transport
 * once, in a seeded shuffled order, each in a fresh echoing child JVM that goes through every size; a
 * first warm-up round is discarded; every figure is the median of the rounds, with its spread.
 */
@Command(name = "shmring-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Cross-process latency and throughput of shmring vs Agrona, Chronicle Queue and stream transports.")
public final class BenchMain implements Callable<Integer>
{
    private static final List<Integer> DEFAULT_SIZES = List.of(32, 64, 256, 4096, 65536);
    private static final int MIN_PHASE_MESSAGES = 256;
    private static final int JIT_WARMUP_SIZE = 256;
    /** Most consumer processes of one fan-out run, and producer processes of one fan-in run. */
    private static final int MAX_FAN_PROCESSES = 16;
    /** Longest idle-CPU measurement. */
    private static final int MAX_IDLE_SECONDS = 3600;

    @Spec
    private CommandSpec spec;

    @Option(names = "--transports", split = ",", paramLabel = "<name>",
        description = "Transports to run, by CSV name (default: all): c-spin, c-futex (the C floor, built with --cc), " +
            "shmring-spsc, shmring-mpsc, shmring-spsc-futex, shmring-spsc-adaptive (the rings' default wait), " +
            "shmring-spsc-sleep (sleeps on every message), shmring-spsc-semaphore, shmring-spsc-membarrier, " +
            "shmring-mpsc-membarrier, shmring-spsc-adaptive-membarrier, shmring-spsc-sleep-membarrier (layout version 3 " +
            "rings: fence-free publishers, sleepers issue membarrier), agrona-one-to-one, agrona-many-to-one, " +
            "chronicle-queue, shmring-uds, shmring-fifo, shmring-pipe, shmring-tcp, aeron-udp, aeron-ipc.")
    private List<String> transports = new ArrayList<>();

    @Option(names = "--sizes", split = ",", paramLabel = "<bytes>",
        description = "Message sizes in bytes (default: 32,64,256,4096,65536).")
    private List<Integer> sizes = new ArrayList<>(DEFAULT_SIZES);

    @Option(names = "--count", description = "Round trips measured per size and round (default: ${DEFAULT-VALUE}; --quick: 2000).")
    private int count = 20_000;

    @Option(names = "--warmup", description = "Round trips before measuring, per size (default: ${DEFAULT-VALUE}; --quick: 1000).")
    private int warmup = 5_000;

    @Option(names = "--oneway-count",
        description = "One-way messages measured per size and round (default: ${DEFAULT-VALUE}; --quick: 300000); a tenth more warm up first.")
    private int onewayCount = 1_000_000;

    @Option(names = "--jit-warmup",
        description = "Round trips of 256 B each child JVM runs before any measured phase, and ten times as many one-way " +
            "messages, so the JIT has compiled both loops and every ring page was touched (at least one ring's worth; " +
            "0: just one message each way, for smoke tests, so figures include JIT compilation and page faults; " +
            "default: ${DEFAULT-VALUE}; --quick: 10000).")
    private int jitWarmup = 20_000;

    @Option(names = "--phase-mib",
        description = "Most payload MiB one phase moves: caps the counts of large sizes (default: ${DEFAULT-VALUE}; --quick: 16).")
    private int phaseMib = 128;

    @Option(names = "--rounds", description = "Measured rounds (default: ${DEFAULT-VALUE}; --quick: 2).")
    private int rounds = 5;

    @Option(names = "--warmup-rounds", description = "Rounds run first and discarded (default: ${DEFAULT-VALUE}).")
    private int warmupRounds = 1;

    @Option(names = "--quick", description = "Small counts and 2 rounds: the whole set in a few minutes.")
    private boolean quick;

    @Option(names = "--seed", description = "Seed of the per-round shuffle (default: ${DEFAULT-VALUE}).")
    private long seed = 42;

    @Option(names = "--no-pin", description = "Do not pin the processes to CPUs even when taskset exists.")
    private boolean noPin;

    @Option(names = "--stream-batch", description = "batch= bytes of the stream adapters' publishers (default: ${DEFAULT-VALUE}: one write per message).")
    private int streamBatch;

    @Option(names = "--stall-timeout", description = "Seconds a channel may move nothing before the run fails (default: ${DEFAULT-VALUE}).")
    private long stallSeconds = 60;

    @Option(names = "--cc", paramLabel = "<compiler>",
        description = "C compiler that builds the C floor (c-spin, c-futex), a name on PATH or a path (default: cc, else " +
            "gcc); without one those transports are skipped with a note.")
    private String cCompiler;

    @Option(names = "--idle-seconds",
        description = "Seconds a consumer child with each selected blocking shmring SPSC wait (e.g. shmring-spsc-adaptive, " +
            "the rings' default) blocks on an empty ring while its CPU time is measured, for the idle-CPU table; 0: no " +
            "such table (default: ${DEFAULT-VALUE}).")
    private int idleSeconds = 10;

    @Option(names = "--work-dir", description = "Where the run's rings, sockets, FIFOs and queues go (default: /dev/shm if present, else the temp dir).")
    private Path workDir;

    @Option(names = "--fanout", split = ",", paramLabel = "<consumers>",
        description = "Fan-out mode instead of the point-to-point tables: one producer and this many consumer processes " +
            "per run (e.g. 1,2,4), one-way, for shmring broadcast lossless and lossy, one shmring SPSC ring per consumer, " +
            "and Agrona's BroadcastTransmitter/Receiver; uses --oneway-count, --rounds, --warmup-rounds, --seed; every " +
            "run's figures go to --raw-csv.")
    private List<Integer> fanout = new ArrayList<>();

    @Option(names = "--fanout-size", description = "Payload bytes of the fan-out mode's messages (default: ${DEFAULT-VALUE}).")
    private int fanoutSize = 64;

    @Option(names = "--fanin", split = ",", paramLabel = "<producers>",
        description = "Fan-in mode instead of the point-to-point tables: this many producer processes and one consumer " +
            "process per run (e.g. 1,2,4), one-way, the --oneway-count messages shared among the producers, each " +
            "message checked per producer, for shmring's MPSC ring and Agrona's ManyToOneRingBuffer; uses --rounds, " +
            "--warmup-rounds, --seed; every run's figures go to --raw-csv.")
    private List<Integer> fanin = new ArrayList<>();

    @Option(names = "--fanin-size", description = "Payload bytes of the fan-in mode's messages (default: ${DEFAULT-VALUE}).")
    private int faninSize = 64;

    @Option(names = "--csv", description = "Summary CSV (default: ${DEFAULT-VALUE}).")
    private Path csv = Path.of("shmring-bench.csv");

    @Option(names = "--raw-csv", description = "Every round's figures (default: ${DEFAULT-VALUE}).")
    private Path rawCsv = Path.of("shmring-bench-rounds.csv");

    @Option(names = "--chart", description = "PNG of round-trip percentiles (default: ${DEFAULT-VALUE}).")
    private Path chart = Path.of("shmring-bench.png");

    @Option(names = "--markdown", description = "Also write the tables as Markdown here.")
    private Path markdown;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        applyQuick();
        checkOptions();
        if (!fanout.isEmpty())
        {
            final FanOutMode mode = new FanOutMode(fanSettings(fanout, fanoutSize));
            return runInWorkDirectory("fanout-", (runRoot) -> mode.run(spec.commandLine().getOut(), runRoot, rawCsv, markdown));
        }
        if (!fanin.isEmpty())
        {
            final FanInMode mode = new FanInMode(fanSettings(fanin, faninSize));
            return runInWorkDirectory("fanin-", (runRoot) -> mode.run(spec.commandLine().getOut(), runRoot, rawCsv, markdown));
        }
        System.setProperty("java.awt.headless", "true");
        ChronicleFlags.applyProperties();
        final long startNs = System.nanoTime();
        final PrintWriter out = spec.commandLine().getOut();
        final List<MeasuredPeer> selected = new ArrayList<>(transports.isEmpty() ? Peers.all() : Peers.select(transports));
        final List<SizePlan> plans = plans();
        final SizePlan jitPlan = jitWarmupPlan();
        final String machine = MachineInfo.describe();
        final CpuPinning pinning = CpuPinning.detect(!noPin);
        pinning.pinThisProcess();
        out.println("shmring-bench: " + machine);
        out.println("  " + pinning.describe() + "; " + warmupRounds + " warm-up round(s) discarded, " + rounds +
            " measured; seed " + seed);
        out.printf(Locale.ROOT, "  each child first: %,d round trips and %,d one-way messages of %d B, not measured%n",
            jitPlan.rttWarmup(), jitPlan.onewayWarmup(), jitPlan.size());
        for (final SizePlan plan : plans)
        {
            out.printf(Locale.ROOT, "  %6d B: %,d round trips (+%,d warm-up), %,d one-way messages (+%,d warm-up)%n",
                plan.size(), plan.rttCount(), plan.rttWarmup(), plan.onewayCount(), plan.onewayWarmup());
        }
        final Optional<CCompiler> compiler = findCompiler(out, selected);
        out.flush();

        final List<PhaseResult> measured = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<IdleCpu.Result> idle = new ArrayList<>();
        runInWorkDirectory("", (runRoot) ->
        {
            compiler.ifPresent((cc) -> buildFloor(cc, runRoot, selected, failures));
            runRounds(selected, jitPlan, plans, pinning, runRoot, measured, failures);
            measureIdle(selected, pinning, runRoot, idle, failures);
            return 0;
        });

        final List<Summary> summaries = Summary.inTableOrder(Summary.of(measured), selected);
        final Set<String> blocking = new HashSet<>();
        for (final MeasuredPeer transport : selected)
        {
            if (transport.blocking())
            {
                blocking.add(transport.name());
            }
        }
        final ResultTable table = new ResultTable(summaries, blocking);
        out.println();
        out.print(table.text());
        if (!idle.isEmpty())
        {
            out.println();
            out.print(IdleCpu.text(idle, idleSeconds));
        }
        CsvOutput.writeSummary(csv, summaries);
        CsvOutput.writeRaw(rawCsv, measured);
        if (!summaries.isEmpty())
        {
            LatencyChart.write(chart, summaries, "median of " + rounds + " rounds");
        }
        if (markdown != null)
        {
            Files.writeString(markdown, table.markdown() + (idle.isEmpty() ? "" : "\n" + IdleCpu.markdown(idle, idleSeconds)));
        }
        out.printf(Locale.ROOT, "%nwrote %s, %s, %s%s; took %.0f s%n", csv, rawCsv, chart,
            markdown != null ? ", " + markdown : "", (System.nanoTime() - startNs) / 1e9);
        for (final String failure : failures)
        {
            out.println("FAILED: " + failure);
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * If the C floor is selected, find the compiler that builds it; without one, print one note and drop the floor.
     */
    private Optional<CCompiler> findCompiler(final PrintWriter out, final List<MeasuredPeer> selected)
    {
        final List<String> floor = floorNames(selected);
        if (floor.isEmpty())
        {
            return Optional.empty();
        }
        final Optional<CCompiler> compiler = CCompiler.find(cCompiler);
        if (compiler.isEmpty())
        {
            selected.removeIf((peer) -> peer instanceof CPingPong);
            out.println("  note: no C compiler (" + CCompiler.lookedFor(cCompiler) + "): " + String.join(", ", floor) +
                " skipped");
        }
        else
        {
            out.println("  C floor (" + String.join(", ", floor) + "): pingpong.c built with " + compiler.get().path() +
                "; its measuring process runs on the parent's CPU while this JVM waits");
        }
        return compiler;
    }

    /**
     * Build the C floor into the run's directory and give it to the selected floor peers; if that fails, drop them and
     * record the failure (the run goes on without them and exits 1).
     */
    private static void buildFloor(final CCompiler compiler, final Path runRoot, final List<MeasuredPeer> selected,
        final List<String> failures)
    {
        try
        {
            final Path program = compiler.build(runRoot);
            selected.replaceAll((peer) -> peer instanceof CPingPong floor ? floor.withProgram(program) : peer);
        }
        catch (final Exception ex)
        {
            failures.add(String.join(", ", floorNames(selected)) + ": cannot build the C floor: " + ex.getMessage());
            selected.removeIf((peer) -> peer instanceof CPingPong);
        }
    }

    private static List<String> floorNames(final List<MeasuredPeer> selected)
    {
        final List<String> names = new ArrayList<>();
        for (final MeasuredPeer peer : selected)
        {
            if (peer instanceof CPingPong)
            {
                names.add(peer.name());
            }
        }
        return names;
    }

    /**
     * The idle-CPU table's measurement, for the selected transports it measures, unless {@code --idle-seconds 0}.
     */
    private void measureIdle(final List<MeasuredPeer> selected, final CpuPinning pinning, final Path runRoot,
        final List<IdleCpu.Result> idle, final List<String> failures)
    {
        final List<ShmRingTransport> measured = new ArrayList<>();
        for (final MeasuredPeer peer : selected)
        {
            if (IdleCpu.measures(peer))
            {
                measured.add((ShmRingTransport)peer);
            }
        }
        if (idleSeconds == 0 || measured.isEmpty())
        {
            return;
        }
        System.err.printf(Locale.ROOT, "[idle] %d consumer(s) blocked on empty rings for %d s%n", measured.size(), idleSeconds);
        try
        {
            final Path directory = Files.createDirectories(runRoot.resolve("idle"));
            idle.addAll(IdleCpu.measure(measured, idleSeconds, directory, pinning, TimeUnit.SECONDS.toNanos(stallSeconds)));
        }
        catch (final Exception ex)
        {
            failures.add("idle CPU: " + ex);
        }
    }

    private ProcessCountSettings fanSettings(final List<Integer> counts, final int size)
    {
        return new ProcessCountSettings(counts, size, onewayCount, rounds, warmupRounds, seed, TimeUnit.SECONDS.toNanos(stallSeconds));
    }

    /**
     * What runs in a directory of its own under the work directory, deleted afterwards (and on exit).
     */
    @FunctionalInterface
    private interface DirectoryMode
    {
        int run(Path runRoot) throws Exception;
    }

    /**
     * @param mode a name part of the directory ({@code fanout-}), or empty.
     * @param run  what runs there.
     * @return what {@code run} returned.
     * @throws Exception what {@code run} throws, or if the directory cannot be made.
     */
    private int runInWorkDirectory(final String mode, final DirectoryMode run) throws Exception
    {
        final Path runRoot = Files.createTempDirectory(workDirectory(), "shmring-bench-" + mode + ProcessHandle.current().pid() + "-");
        final Thread cleanup = new Thread(() -> deleteQuietly(runRoot), "shmring-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            return run.run(runRoot);
        }
        finally
        {
            deleteQuietly(runRoot);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private void runRounds(
        final List<MeasuredPeer> selected, final SizePlan jitPlan, final List<SizePlan> plans, final CpuPinning pinning,
        final Path runRoot,
        final List<PhaseResult> measured, final List<String> failures)
    {
        final int totalRounds = warmupRounds + rounds;
        final Progress progress = new Progress(System.err, System.console() != null, totalRounds * selected.size());
        final Random random = new Random(seed);
        final Set<String> failed = new HashSet<>();
        for (int index = 0; index < totalRounds; index++)
        {
            final boolean warm = index < warmupRounds;
            final int round = warm ? 0 : index - warmupRounds + 1;
            final String label = warm ? "warm-up " + (index + 1) + "/" + warmupRounds : "round " + round + "/" + rounds;
            final List<MeasuredPeer> order = new ArrayList<>(selected);
            Collections.shuffle(order, random);
            for (final MeasuredPeer transport : order)
            {
                if (failed.contains(transport.name()))
                {
                    progress.runDone(label, transport.name(), "skipped after an earlier failure");
                    continue;
                }
                final PeerRun run = new PeerRun(jitPlan, plans, round, runRoot.resolve(transport.name() + "-" + index), pinning,
                    TimeUnit.SECONDS.toNanos(stallSeconds), streamBatch);
                try
                {
                    final List<PhaseResult> results = transport.measure(run,
                        (size, mode) -> progress.phase(label, transport.name(), size, mode));
                    if (!warm)
                    {
                        measured.addAll(results);
                    }
                    progress.runDone(label, transport.name(), headline(results));
                }
                catch (final Exception ex)
                {
                    failed.add(transport.name());
                    failures.add(transport.name() + " in " + label + ": " + ex);
                    progress.runDone(label, transport.name(), "FAILED: " + ex);
                }
            }
        }
        progress.finish();
    }

    private static String headline(final List<PhaseResult> results)
    {
        final StringBuilder text = new StringBuilder();
        for (final PhaseResult result : results)
        {
            if (PhaseResult.RTT.equals(result.mode()))
            {
                text.append(text.length() == 0 ? "rtt p50 " : ", ").append(result.size()).append("B ")
                    .append(String.format(Locale.ROOT, "%.2f µs", result.p50() / 1_000.0));
            }
        }
        return text.toString();
    }

    private void applyQuick()
    {
        if (!quick)
        {
            return;
        }
        final CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--count"))
        {
            count = 2_000;
        }
        if (!parsed.hasMatchedOption("--warmup"))
        {
            warmup = 1_000;
        }
        if (!parsed.hasMatchedOption("--oneway-count"))
        {
            onewayCount = 300_000;
        }
        if (!parsed.hasMatchedOption("--jit-warmup"))
        {
            jitWarmup = 10_000;
        }
        if (!parsed.hasMatchedOption("--phase-mib"))
        {
            phaseMib = 16;
        }
        if (!parsed.hasMatchedOption("--rounds"))
        {
            rounds = 2;
        }
    }

    private void checkOptions()
    {
        if (count < 1 || onewayCount < 1 || warmup < 0 || jitWarmup < 0 || rounds < 1 || warmupRounds < 0 || phaseMib < 1 ||
            stallSeconds < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "counts, --rounds, --phase-mib and --stall-timeout must be " +
                ">= 1, warm-ups >= 0: count=" + count + " onewayCount=" + onewayCount + " warmup=" + warmup + " rounds=" + rounds +
                " warmupRounds=" + warmupRounds + " jitWarmup=" + jitWarmup + " phaseMib=" + phaseMib + " stallTimeout=" + stallSeconds);
        }
        if (idleSeconds < 0 || idleSeconds > MAX_IDLE_SECONDS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle-seconds must be in 0.." + MAX_IDLE_SECONDS +
                ": idleSeconds=" + idleSeconds);
        }
        if (cCompiler != null && cCompiler.isBlank())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cc needs a compiler name or path: cc='" + cCompiler + "'");
        }
        if (!fanout.isEmpty() && !fanin.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fanout and --fanin are separate runs: give one: " +
                "fanout=" + fanout + " fanin=" + fanin);
        }
        checkFanMode("--fanout", "consumer", fanout, fanoutSize);
        checkFanMode("--fanin", "producer", fanin, faninSize);
        if (sizes.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sizes needs at least one size");
        }
        for (final int size : sizes)
        {
            try
            {
                MessageLayout.checkSize(size);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sizes: " + ex.getMessage());
            }
        }
        try
        {
            Peers.select(transports);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--transports: " + ex.getMessage());
        }
    }

    private void checkFanMode(final String option, final String what, final List<Integer> counts, final int size)
    {
        for (final int processes : counts)
        {
            if (processes < 1 || processes > MAX_FAN_PROCESSES)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + what + " counts are 1.." +
                    MAX_FAN_PROCESSES + ": " + what + "s=" + processes);
            }
        }
        if (size < MessageLayout.MIN_SIZE || size > Transport.RING_CAPACITY / 8)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), option + "-size: " + MessageLayout.MIN_SIZE + ".." +
                Transport.RING_CAPACITY / 8 + " bytes: size=" + size);
        }
    }

    /**
     * Counts per size: the options, capped so one phase moves at most {@code --phase-mib} of payload
     * (but at least {@value #MIN_PHASE_MESSAGES} messages), the same cap for every transport.
     */
    private List<SizePlan> plans()
    {
        final List<SizePlan> plans = new ArrayList<>();
        for (final int size : new TreeSet<>(sizes))
        {
            final int cap = (int)Math.max(MIN_PHASE_MESSAGES, Math.min(Integer.MAX_VALUE, phaseMib * 1024L * 1024L / size));
            final int rttCount = Math.min(count, cap);
            final int oneway = Math.min(onewayCount, cap);
            plans.add(new SizePlan(size, Math.min(warmup, Math.max(cap / 2, 1)), rttCount, oneway / 10, oneway));
        }
        return plans;
    }

    /**
     * The phase every child runs first and the parent discards: enough iterations of both loops, in both
     * processes, for the JIT to compile them before anything is measured (each child is a fresh JVM), and
     * enough bytes through both directions to touch every page of a ring once. A new shmring ring file is
     * sparse (its pages fault in on first use, some microseconds each on tmpfs) while Agrona's
     * {@code IoUtil.mapNewFile} zero-fills its file at creation: without this the first measured sizes
     * would compare shmring's first-touch page faults with Agrona's pre-faulted pages. With {@code --jit-warmup 0}
     * it is one message each way (the phase must exist: the child numbers its plans from it), for runs whose
     * figures do not matter.
     */
    private SizePlan jitWarmupPlan()
    {
        final int size = JIT_WARMUP_SIZE;
        if (jitWarmup == 0)
        {
            return new SizePlan(size, 0, 1, 0, 1);
        }
        final int cap = (int)Math.max(MIN_PHASE_MESSAGES, Math.min(Integer.MAX_VALUE, phaseMib * 1024L * 1024L / size));
        final int coverRing = Transport.RING_CAPACITY / size + MIN_PHASE_MESSAGES;
        final int roundTrips = Math.max(coverRing, Math.min(jitWarmup, cap));
        return new SizePlan(size, roundTrips, 1, Math.max(coverRing, (int)Math.min(10L * jitWarmup, cap)), 1);
    }

    private Path workDirectory() throws IOException
    {
        if (workDir != null)
        {
            Files.createDirectories(workDir);
            return workDir;
        }
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void deleteQuietly(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (var paths = Files.walk(root))
        {
            final List<Path> all = new ArrayList<>(paths.toList());
            Collections.reverse(all);
            for (final Path path : all)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            System.err.println("shmring-bench: could not delete " + root + ": " + ex);
        }
    }
}
