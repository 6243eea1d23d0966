package io.shmring.stress.soak;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.WakeMechanism;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.shmring.stress.soak.CommitLogDescriptor.STATE_REGISTERED;
import static io.shmring.stress.soak.CommitLogDescriptor.STATE_STARTED;
import static io.shmring.stress.soak.CommitLogDescriptor.STATE_STOPPED;

/**
 * The soak: P producer JVMs and one consumer JVM on an MPSC ring with blocking waits, for at least T seconds
 * and until its coverage goals are reached, while this controller SIGKILLs a random producer at random moments
 * and starts a new incarnation in its place.
 * <p>
 * The ring is small, so it fills often and producers sleep in the timed offer; producers also hold a
 * claim open across a short pause now and then, and a share of the kills ({@code --in-claim-percent}) waits
 * for the victim to be inside such a pause, so the consumer has dead claims to recover; the first
 * {@code --held-kills} kills go further and ask the victim to hold its next claim open until it is killed,
 * so those kills land inside a claim whatever the scheduling. Every message
 * carries (producer, incarnation, sequence, checksum); every producer records what it committed in a
 * {@link CommitLog} beside the ring. At the end the controller stops the producers cleanly, tells the
 * consumer to finish, and the consumer proves exactly-once, in-order delivery per incarnation of everything
 * committed (the rule is in {@link DeliveryVerifier}). The controller then cross-checks the verdict against
 * its own counts (every incarnation that did not stop was killed by it; recoveries never exceed kills; every
 * claim open at a kill was recovered or delivered; every held claim was recovered), prints a {@code SOAK-TOTALS} line, deletes the ring and log files, and exits 0 only if all of it held.
 * <p>
 * Coverage does not depend on timing: producers start only after the consumer has slept once on the empty
 * ring, and the run goes on past {@code --seconds} until the {@code --min-*} and {@code --held-kills} goals are
 * reached (messages, kills, kills inside a held claim, full-ring waits). Only if one is still open at
 * {@code --max-seconds} does the run stop and fail, naming it.
 * <p>
 * Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp stress/target/shmring-stress.jar
 * io.shmring.stress.soak.Soak --producers 4 --seconds 600}.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Soak an MPSC ring: producer JVMs killed with SIGKILL at random, one consumer proving exactly-once delivery.")
public final class Soak implements Callable<Integer>
{
    /** Exit code of a run that completed and passed. */
    public static final int EXIT_PASSED = 0;
    /** Exit code of a run that found a violation or failed a cross-check. */
    public static final int EXIT_FAILED = 1;

    private static final List<String> CHILD_JVM_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC");
    private static final int PRODUCER_SLOTS = 64;
    private static final long STARTUP_TIMEOUT_MS = 60_000;
    /** A producer told to stop may still be starting its JVM: only a hang takes this long. */
    private static final long STOP_TIMEOUT_MS = 60_000;
    /** How long a producer asked to hold a claim may take to do it: JVM start included, so only a hang exceeds it. */
    private static final long HOLD_TIMEOUT_MS = 60_000;
    private static final long TICK_MS = 5;
    /** How often an aimed kill looks for the victim's open claim; pauses last 1 ms or more. */
    private static final long AIM_POLL_NS = 200_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--producers", description = "Producer processes running at any time (default: ${DEFAULT-VALUE}).")
    private int producers = 3;

    @Option(names = "--seconds",
        description = "How long producers run and get killed at least; longer while a --min-*/--held-kills goal is open (default: ${DEFAULT-VALUE}).")
    private long seconds = 30;

    @Option(names = "--max-seconds",
        description = "Longest run while a coverage goal is open; the run fails if one is still open then (default: 10 x --seconds).")
    private Long maxSeconds;

    @Option(names = "--min-messages", description = "Coverage goal: messages delivered (default: ${DEFAULT-VALUE}).")
    private long minMessages = 1;

    @Option(names = "--min-kills", description = "Coverage goal: producers SIGKILLed (default: ${DEFAULT-VALUE}).")
    private long minKills;

    @Option(names = "--held-kills",
        description = "Coverage goal: this many kills (the first ones) wait until the victim holds a claim open for them, so each " +
            "leaves a claim the consumer must recover (default: ${DEFAULT-VALUE}).")
    private long heldKillGoal;

    @Option(names = "--min-full-waits", description = "Coverage goal: times a producer found the ring full and slept (default: ${DEFAULT-VALUE}).")
    private long minFullWaits;

    @Option(names = "--claim-timeout-ms", description = "Consumer's claim timeout (default: ${DEFAULT-VALUE}).")
    private long claimTimeoutMs = 1_000;

    @Option(names = "--kill-interval-ms",
        description = "Mean time between kills; each gap is uniform in [mean/2, 3*mean/2] (default: ${DEFAULT-VALUE}).")
    private long killIntervalMs = 1_500;

    @Option(names = "--in-claim-percent",
        description = "Share of kills that wait for the victim to pause inside a claim (default: ${DEFAULT-VALUE}).")
    private int inClaimPercent = 50;

    @Option(names = "--pause-every-ms", description = "Mean time between a producer's paused claims (default: ${DEFAULT-VALUE}).")
    private long pauseEveryMs = 200;

    @Option(names = "--max-pause-ms", description = "Longest pause inside a claim (default: ${DEFAULT-VALUE}).")
    private int maxPauseMs = 20;

    @Option(names = "--capacity", description = "Ring data bytes, a power of 2 (default: ${DEFAULT-VALUE}).")
    private int capacity = 64 * 1024;

    @Option(names = "--max-filler", description = "Largest filler after a message's 24-byte header (default: ${DEFAULT-VALUE}).")
    private int maxFiller = 256;

    @Option(names = "--seed", description = "Seed of every random choice (default: random, printed).")
    private Long seed;

    @Option(names = "--report-interval-s", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    private long reportIntervalSeconds = 10;

    @Option(names = "--verbose", description = "Print one line per incarnation at the end.")
    private boolean verbose;

    private SoakReport report;

    public static void main(final String[] args)
    {
        if (!Object.class.getModule().isExported("jdk.internal.misc", Soak.class.getModule()))
        {
            System.err.println("soak: run with --add-exports java.base/jdk.internal.misc=ALL-UNNAMED (Agrona needs it)");
            System.exit(2);
        }
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    /**
     * @return what the last {@link #call()} counted, or null before one finished.
     */
    public SoakReport report()
    {
        return report;
    }

    @Override
    public Integer call() throws Exception
    {
        checkOptions();
        final long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        final PrintWriter out = spec.commandLine().getOut();
        final String name = "shmring-soak-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        final Path ringPath = SharedMemoryDirectory.resolve(name);
        final Path logPath = SharedMemoryDirectory.resolve(name + "-log");
        out.printf("soak: producers=%d seconds=%d maxSeconds=%d claimTimeoutMs=%d killIntervalMs=%d inClaimPercent=%d " +
                "pauseEveryMs=%d maxPauseMs=%d capacity=%d maxFiller=%d seed=%d ring=%s%n", producers, seconds, longestSeconds(),
            claimTimeoutMs, killIntervalMs, inClaimPercent, pauseEveryMs, maxPauseMs, capacity, maxFiller, runSeed, ringPath);
        out.printf("soak: coverage goals minMessages=%d minKills=%d heldKills=%d minFullWaits=%d%n",
            minMessages, minKills, heldKillGoal, minFullWaits);
        out.flush();
        final Run run = new Run(out, new SplittableRandom(runSeed), runSeed, ringPath, logPath);
        try
        {
            report = run.execute();
        }
        finally
        {
            run.destroyChildren();
            for (int p = 0; p < producers; p++)
            {
                run.deleteErrorFile(p);
            }
            Files.deleteIfExists(ringPath);
            Files.deleteIfExists(logPath);
        }
        if (verbose || !report.passed())
        {
            run.consumerLines.stream().filter(line -> line.startsWith("SOAK-INCARNATION")).forEach(out::println);
        }
        report.failures().forEach(failure -> out.println("SOAK-FAILURE " + failure));
        out.println(report.line());
        out.flush();
        return report.passed() ? EXIT_PASSED : EXIT_FAILED;
    }

    private long longestSeconds()
    {
        return maxSeconds != null ? maxSeconds : 10 * Math.min(seconds, Long.MAX_VALUE / 10);
    }

    private void checkOptions()
    {
        final CommandLine commandLine = spec.commandLine();
        if (producers < 1 || producers > PRODUCER_SLOTS / 2)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--producers must be in 1.." + PRODUCER_SLOTS / 2 + ": producers=" + producers);
        }
        if (seconds < 1)
        {
            throw new CommandLine.ParameterException(commandLine, "--seconds must be positive: seconds=" + seconds);
        }
        if (maxSeconds != null && maxSeconds < seconds)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--max-seconds must not be below --seconds: maxSeconds=" + maxSeconds + " seconds=" + seconds);
        }
        if (minMessages < 0 || minKills < 0 || heldKillGoal < 0 || minFullWaits < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "coverage goals must not be negative: minMessages=" + minMessages +
                " minKills=" + minKills + " heldKills=" + heldKillGoal + " minFullWaits=" + minFullWaits);
        }
        try
        {
            MpscConsumer.checkClaimTimeout(claimTimeoutMs);
            RingConfig.mpsc(capacity);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(commandLine, ex.getMessage());
        }
        if (killIntervalMs < 10)
        {
            throw new CommandLine.ParameterException(commandLine, "--kill-interval-ms must be >= 10: killIntervalMs=" + killIntervalMs);
        }
        if (inClaimPercent < 0 || inClaimPercent > 100)
        {
            throw new CommandLine.ParameterException(commandLine, "--in-claim-percent must be in 0..100: inClaimPercent=" + inClaimPercent);
        }
        if (pauseEveryMs < 1)
        {
            throw new CommandLine.ParameterException(commandLine, "--pause-every-ms must be positive: pauseEveryMs=" + pauseEveryMs);
        }
        if (maxPauseMs < 1 || maxPauseMs > claimTimeoutMs / 4)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--max-pause-ms must be in 1..claimTimeoutMs/4 (a live pause must never look dead): maxPauseMs=" + maxPauseMs);
        }
        if (maxFiller < 0 || SoakMessage.HEADER_LENGTH + maxFiller > RingConfig.mpsc(capacity).maxMessageLength())
        {
            throw new CommandLine.ParameterException(commandLine, "--max-filler must be in 0.." +
                (RingConfig.mpsc(capacity).maxMessageLength() - SoakMessage.HEADER_LENGTH) + ": maxFiller=" + maxFiller);
        }
        if (reportIntervalSeconds < 1)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--report-interval-s must be positive: reportIntervalSeconds=" + reportIntervalSeconds);
        }
    }

    /**
     * One run's processes and counts.
     */
    private final class Run
    {
        final PrintWriter out;
        final SplittableRandom random;
        final long runSeed;
        final Path ringPath;
        final Path logPath;
        final List<String> consumerLines = new CopyOnWriteArrayList<>();
        final List<String> failures = new ArrayList<>();
        final Process[] running = new Process[producers];
        final int[] runningIncarnation = new int[producers];
        final List<Process> allProducers = new ArrayList<>();
        /** Each running producer's stderr, so a producer that exits on its own says why. */
        final Path[] errorFiles = new Path[producers];
        Process consumer;
        Thread consumerReader;
        long kills;
        long killsInClaim;
        long killsBeforeRegistered;
        long heldKills;

        Run(final PrintWriter out, final SplittableRandom random, final long runSeed, final Path ringPath, final Path logPath)
        {
            this.out = out;
            this.random = random;
            this.runSeed = runSeed;
            this.ringPath = ringPath;
            this.logPath = logPath;
        }

        SoakReport execute() throws Exception
        {
            final long startNs = System.nanoTime();
            final RingConfig config = new RingConfig(RingKind.MPSC, capacity, RingConfig.mpsc(capacity).maxMessageLength(),
                PRODUCER_SLOTS, WakeMechanism.FUTEX);
            RingFile.create(ringPath, config).close();
            final int maxIncarnations = (int)Math.min(CommitLogDescriptor.MAX_INCARNATIONS,
                producers + 2 * Math.min(longestSeconds(), CommitLogDescriptor.MAX_INCARNATIONS) * 1000 / killIntervalMs + 16);
            try (CommitLog log = CommitLog.create(logPath, maxIncarnations))
            {
                startConsumer(log);
                for (int p = 0; p < producers; p++)
                {
                    startProducer(log, p);
                }
                runAndKill(log, startNs);
                if (failures.isEmpty())
                {
                    stopProducers(log);
                }
                else
                {
                    destroyProducers();
                }
                finishConsumer();
                return report(log, startNs);
            }
        }

        /**
         * Kill and replace producers until at least {@code --seconds} have passed and every coverage goal is
         * reached, or until {@code --max-seconds} (then {@link #report} names the goals still open).
         */
        private void runAndKill(final CommitLog log, final long startNs) throws InterruptedException
        {
            final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
            final long capNs = startNs + TimeUnit.SECONDS.toNanos(longestSeconds());
            final long reportIntervalNs = TimeUnit.SECONDS.toNanos(reportIntervalSeconds);
            long nextKillNs = System.nanoTime() + killGapNs();
            long nextReportNs = System.nanoTime() + reportIntervalNs;
            boolean logFull = false;
            while (failures.isEmpty() && checkChildren(log))
            {
                final long now = System.nanoTime();
                if (now - endNs >= 0 && openGoals(log.consumerMessages(), fullWaits(log)).isEmpty())
                {
                    break;
                }
                if (now - capNs >= 0)
                {
                    out.println("soak: --max-seconds reached with coverage goals open: " +
                        openGoals(log.consumerMessages(), fullWaits(log)));
                    break;
                }
                if (now - nextKillNs >= 0 && !logFull)
                {
                    if (log.incarnationsStarted() >= log.maxIncarnations())
                    {
                        out.println("soak: commit log full, no more kills: incarnations=" + log.incarnationsStarted());
                        logFull = true;
                    }
                    else
                    {
                        killAndReplace(log, random.nextInt(producers));
                    }
                    nextKillNs = System.nanoTime() + killGapNs();
                }
                if (now - nextReportNs >= 0)
                {
                    out.printf("SOAK-CONTROLLER elapsedS=%.0f kills=%d killsInClaim=%d heldKills=%d incarnations=%d%n",
                        (now - startNs) / 1e9, kills, killsInClaim, heldKills, log.incarnationsStarted());
                    out.flush();
                    nextReportNs = now + reportIntervalNs;
                }
                Thread.sleep(TICK_MS);
            }
        }

        /**
         * @param messages  messages delivered so far.
         * @param fullWaits full-ring waits so far.
         * @return the coverage goals not reached yet, e.g. {@code [kills=3<5]}; empty when all are.
         */
        private List<String> openGoals(final long messages, final long fullWaits)
        {
            final List<String> open = new ArrayList<>();
            addIfOpen(open, "messages", messages, minMessages);
            addIfOpen(open, "kills", kills, minKills);
            addIfOpen(open, "heldKills", heldKills, heldKillGoal);
            addIfOpen(open, "fullWaits", fullWaits, minFullWaits);
            return open;
        }

        private void addIfOpen(final List<String> open, final String name, final long value, final long goal)
        {
            if (value < goal)
            {
                open.add(name + "=" + value + "<" + goal);
            }
        }

        private long fullWaits(final CommitLog log)
        {
            long fullWaits = 0;
            for (int i = 0, n = log.incarnationsStarted(); i < n; i++)
            {
                fullWaits += log.fullWaits(i);
            }
            return fullWaits;
        }

        /**
         * @return false (and a failure recorded) if the consumer or a producer exited on its own.
         */
        private boolean checkChildren(final CommitLog log)
        {
            if (!consumer.isAlive())
            {
                failures.add("consumer exited on its own: exit=" + consumer.exitValue());
                return false;
            }
            for (int p = 0; p < producers; p++)
            {
                if (!running[p].isAlive())
                {
                    failures.add("producer " + p + " incarnation " + runningIncarnation[p] + " exited on its own: exit=" +
                        running[p].exitValue() + (running[p].exitValue() == SoakProducer.EXIT_LIVE_CLAIM_RECOVERED ?
                        " (the consumer recovered a live producer's claim)" : "") + "; its stderr: " + errorText(p));
                    return false;
                }
            }
            return true;
        }

        private void killAndReplace(final CommitLog log, final int victim) throws InterruptedException
        {
            final int incarnation = runningIncarnation[victim];
            final boolean aim = random.nextInt(100) < inClaimPercent;
            final boolean hold = heldKills < heldKillGoal;
            if (hold)
            {
                if (!awaitHeldClaim(log, victim, incarnation))
                {
                    return;
                }
            }
            else if (aim && log.state(incarnation) == STATE_REGISTERED)
            {
                final long aimDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, 4 * pauseEveryMs));
                while (log.openClaim(incarnation) == 0 && System.nanoTime() - aimDeadlineNs < 0 && running[victim].isAlive())
                {
                    LockSupport.parkNanos(AIM_POLL_NS);
                }
            }
            final Process process = running[victim];
            if (!process.isAlive())
            {
                return; // exited on its own while we aimed: checkChildren reports it
            }
            process.destroyForcibly(); // SIGKILL on Linux
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                failures.add("producer " + victim + " incarnation " + incarnation + " survived SIGKILL");
                return;
            }
            kills++;
            final int state = log.state(incarnation);
            final long openClaim = log.openClaim(incarnation);
            if (state == STATE_STARTED)
            {
                killsBeforeRegistered++;
            }
            else if (openClaim != 0 && log.committed(incarnation) < openClaim)
            {
                killsInClaim++;
            }
            if (hold)
            {
                heldKills++;
                if (openClaim != log.heldClaim(incarnation) || log.committed(incarnation) >= openClaim)
                {
                    failures.add("producer " + victim + " incarnation " + incarnation + " committed or left the claim it held: " +
                        "heldClaim=" + log.heldClaim(incarnation) + " openClaim=" + openClaim + " committed=" + log.committed(incarnation));
                }
            }
            startProducer(log, victim);
        }

        /**
         * Ask the victim to hold its next paused claim open and wait until it does: the kill that follows lands
         * inside that claim for certain, and the claim stays uncommitted for the consumer to recover.
         *
         * @return true if it holds one; false (and a failure recorded, unless it exited on its own, which
         *         {@link #checkChildren} reports) if not within {@link #HOLD_TIMEOUT_MS}.
         */
        private boolean awaitHeldClaim(final CommitLog log, final int victim, final int incarnation) throws InterruptedException
        {
            log.requestHold(incarnation);
            // a producer that runs pauses in a claim every --pause-every-ms or so; the timeout covers a slow JVM start
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_TIMEOUT_MS);
            while (log.heldClaim(incarnation) == 0)
            {
                if (!running[victim].isAlive())
                {
                    return false;
                }
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    failures.add("producer " + victim + " incarnation " + incarnation + " held no claim within " + HOLD_TIMEOUT_MS +
                        " ms of being asked: state=" + log.state(incarnation) + " committed=" + log.committed(incarnation));
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        }

        private long killGapNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(killIntervalMs / 2 + random.nextLong(killIntervalMs + 1));
        }

        /**
         * Start the consumer and wait until it has slept on the empty ring once (no producer runs yet, so it
         * must): the run covers a consumer sleep for certain, whatever the scheduling later.
         */
        private void startConsumer(final CommitLog log) throws Exception
        {
            consumer = ChildJvm.builder(SoakConsumer.class, CHILD_JVM_FLAGS, List.of(ringPath.toString(), logPath.toString(),
                String.valueOf(claimTimeoutMs), String.valueOf(TimeUnit.SECONDS.toMillis(reportIntervalSeconds)))).start();
            consumerReader = new Thread(this::readConsumer, "soak-consumer-stdout");
            consumerReader.setDaemon(true);
            consumerReader.start();
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS);
            while (!consumerLines.contains("READY"))
            {
                if (!consumer.isAlive() || System.nanoTime() - deadlineNs >= 0)
                {
                    throw new IllegalStateException("consumer did not start: alive=" + consumer.isAlive() + " output=" + consumerLines);
                }
                Thread.sleep(TICK_MS);
            }
            while (log.consumerSleeps() == 0)
            {
                if (!consumer.isAlive() || System.nanoTime() - deadlineNs >= 0)
                {
                    throw new IllegalStateException("consumer never slept on the empty ring: alive=" + consumer.isAlive() +
                        " output=" + consumerLines);
                }
                Thread.sleep(TICK_MS);
            }
        }

        private void readConsumer()
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    consumerLines.add(line);
                    if (!line.startsWith("SOAK-INCARNATION"))
                    {
                        out.println("consumer: " + line);
                        out.flush();
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the consumer went away; what it printed is kept
            }
        }

        /**
         * @return the start of a producer's stderr (its exception), on one line.
         */
        private String errorText(final int producer)
        {
            try
            {
                final String text = Files.readString(errorFiles[producer]).strip().replaceAll("\\s*\\R\\s*", " | ");
                return text.isEmpty() ? "(empty)" : text.substring(0, Math.min(text.length(), 2_000));
            }
            catch (final IOException | RuntimeException ex)
            {
                return "(unreadable: " + ex + ")";
            }
        }

        void deleteErrorFile(final int producer)
        {
            try
            {
                if (errorFiles[producer] != null)
                {
                    Files.deleteIfExists(errorFiles[producer]);
                }
            }
            catch (final IOException ignored)
            {
                // a leftover in the temporary directory, no more
            }
        }

        private void startProducer(final CommitLog log, final int producer)
        {
            final int incarnation = log.startIncarnation(producer);
            final List<String> args = List.of(ringPath.toString(), logPath.toString(), String.valueOf(producer),
                String.valueOf(incarnation), String.valueOf(random.nextLong()), String.valueOf(pauseEveryMs),
                String.valueOf(maxPauseMs), String.valueOf(maxFiller));
            try
            {
                deleteErrorFile(producer);
                errorFiles[producer] = Files.createTempFile("shmring-soak-producer-" + producer + "-", ".err");
                final Process process = ChildJvm.builder(SoakProducer.class, CHILD_JVM_FLAGS, args)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errorFiles[producer].toFile()).start();
                running[producer] = process;
                runningIncarnation[producer] = incarnation;
                allProducers.add(process);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start producer " + producer, ex);
            }
        }

        private void stopProducers(final CommitLog log) throws InterruptedException
        {
            for (final Process process : running)
            {
                sendLine(process, "STOP");
            }
            for (int p = 0; p < producers; p++)
            {
                final int incarnation = runningIncarnation[p];
                if (!running[p].waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    failures.add("producer " + p + " incarnation " + incarnation + " did not stop within " + STOP_TIMEOUT_MS + " ms");
                }
                else if (running[p].exitValue() != 0 || log.state(incarnation) != STATE_STOPPED)
                {
                    failures.add("producer " + p + " incarnation " + incarnation + " did not stop cleanly: exit=" +
                        running[p].exitValue() + " state=" + log.state(incarnation));
                }
            }
            destroyProducers(); // any that did not stop; the consumer is told to finish next
        }

        private void finishConsumer() throws InterruptedException
        {
            sendLine(consumer, "FINISH");
            final long timeoutMs = 4 * claimTimeoutMs + 60_000;
            if (!consumer.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                failures.add("consumer gave no verdict within " + timeoutMs + " ms");
                consumer.destroyForcibly();
            }
            consumerReader.join(10_000);
            if (!consumer.isAlive() && consumer.exitValue() != 0)
            {
                failures.add("consumer exit=" + consumer.exitValue());
            }
        }

        private SoakReport report(final CommitLog log, final long startNs)
        {
            final Map<String, Long> verdict = fields("SOAK-VERDICT");
            final Map<String, Long> progress = fields("SOAK-PROGRESS");
            if (verdict.isEmpty())
            {
                failures.add("the consumer printed no SOAK-VERDICT line");
            }
            final long incarnations = log.incarnationsStarted();
            long fullWaits = 0;
            long pausedClaims = 0;
            for (int i = 0; i < incarnations; i++)
            {
                fullWaits += log.fullWaits(i);
                pausedClaims += log.pausedClaims(i);
            }
            final long messages = verdict.getOrDefault("messages", 0L);
            final long recoveries = verdict.getOrDefault("recoveries", 0L);
            final long violations = verdict.getOrDefault("violations", 0L);
            final long unrecordedCommits = verdict.getOrDefault("unrecordedCommits", 0L);
            if (!verdict.isEmpty())
            {
                if (violations != 0)
                {
                    failures.add("the consumer counted " + violations + " violations");
                }
                if (verdict.getOrDefault("incarnations", -1L) != incarnations)
                {
                    failures.add("consumer saw " + verdict.get("incarnations") + " incarnations, controller started " + incarnations);
                }
                if (failures.isEmpty() && verdict.getOrDefault("killed", -1L) != kills)
                {
                    failures.add("incarnations that did not stop cleanly=" + verdict.get("killed") + " but kills=" + kills);
                }
                if (recoveries > kills)
                {
                    failures.add("more recoveries than dead producers: recoveries=" + recoveries + " kills=" + kills);
                }
                // a victim killed inside a paused claim left that claim uncommitted (the consumer had to recover it)
                // or committed but unrecorded (its incarnation delivered one message beyond its record)
                if (killsInClaim > recoveries + unrecordedCommits)
                {
                    failures.add("claims open at a kill were neither recovered nor delivered: killsInClaim=" + killsInClaim +
                        " recoveries=" + recoveries + " unrecordedCommits=" + unrecordedCommits);
                }
                // a held claim was never committed (its owner waited to be killed), so only a recovery moves past it
                if (recoveries < heldKills)
                {
                    failures.add("claims held at a kill were not all recovered: heldKills=" + heldKills + " recoveries=" + recoveries);
                }
            }
            final List<String> open = openGoals(messages, fullWaits);
            if (!open.isEmpty())
            {
                failures.add("coverage goals not reached within " + longestSeconds() + " s: " + open);
            }
            return new SoakReport((System.nanoTime() - startNs) / 1e9, producers, runSeed, messages, incarnations, kills,
                killsInClaim, killsBeforeRegistered, heldKills, recoveries, unrecordedCommits,
                verdict.getOrDefault("lost", 0L), verdict.getOrDefault("duplicated", 0L), violations, fullWaits, pausedClaims,
                progress.getOrDefault("sleeps", 0L), List.copyOf(failures));
        }

        /**
         * @return the integer key=value fields of the consumer's last line starting with {@code prefix}.
         */
        private Map<String, Long> fields(final String prefix)
        {
            final Map<String, Long> fields = new HashMap<>();
            for (final String line : consumerLines)
            {
                if (line.startsWith(prefix + " "))
                {
                    fields.clear();
                    for (final String pair : line.substring(prefix.length() + 1).split(" "))
                    {
                        final int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(eq + 1).matches("-?\\d+"))
                        {
                            fields.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                        }
                    }
                }
            }
            return fields;
        }

        private void sendLine(final Process process, final String line)
        {
            if (!process.isAlive())
            {
                return;
            }
            try
            {
                final OutputStream stdin = process.getOutputStream();
                stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.close();
            }
            catch (final IOException ignored)
            {
                // it exited meanwhile; its exit code says why
            }
        }

        void destroyProducers()
        {
            for (final Process process : allProducers)
            {
                destroy(process);
            }
        }

        void destroyChildren()
        {
            destroyProducers();
            if (consumer != null)
            {
                destroy(consumer);
            }
        }

        private void destroy(final Process process)
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                try
                {
                    process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
