package io.shmring.examples.cli;

import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.examples.trading.MarketDataPublisher;
import io.shmring.examples.trading.OrderGateway;
import io.shmring.examples.trading.Strategy;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.sync.WakeMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring demo}: a small trading system in separate processes. A market-data publisher writes each tick
 * once, to one lossless broadcast ring that every strategy reads; each strategy process reads them in place and sends some orders over one
 * shared MPSC ring to an order-gateway process. Consumers sleep on the rings' futexes between bursts. The
 * gateway prints live order rates and latency each second, then tick-to-order percentiles; every process
 * prints its checks and the CPU time its waits cost.
 * <p>
 * This process only creates the ring files (unique names in {@code /dev/shm}), starts the others as child
 * JVMs and relays their output. Exit code 0 only if every child exits 0 (each exits 1 if its sequence check
 * fails); if one fails or the run overruns, the others are killed. The ring files are removed in every case,
 * also on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Market data -> strategies (one broadcast ring) -> orders (one MPSC ring) -> gateway, each in its own process,",
        "consumers sleeping on futexes between bursts; prints live rates and end-to-end latency percentiles." })
public final class DemoCommand implements Callable<Integer>
{
    private static final long STARTUP_AND_DRAIN_ALLOWANCE_S = 60;
    private static final int MAX_STRATEGIES = 8;

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", description = "Seconds of market data (default: ${DEFAULT-VALUE}).")
    private int durationSeconds = 10;

    @Option(names = "--burst", description = "Ticks per burst (default: ${DEFAULT-VALUE}).")
    private int burst = 1_000;

    @Option(names = "--interval", description = "Milliseconds from one burst to the next (default: ${DEFAULT-VALUE}).")
    private int intervalMs = 10;

    @Option(names = "--order-every", description = "A strategy sends an order on every n-th tick (default: ${DEFAULT-VALUE}).")
    private int orderEvery = 100;

    @Option(names = "--warmup", description = "Seconds of ticks left out of the final latency percentiles (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 1;

    @Option(names = "--strategies", description = "Strategy processes, 1 to " + MAX_STRATEGIES + " (default: ${DEFAULT-VALUE}).")
    private int strategies = 2;

    @Option(names = "--capacity", description = "Data bytes of each ring, a power of 2 (default: ${DEFAULT-VALUE}).")
    private int capacity = 1 << 20;

    private final Object printLock = new Object();
    private final List<Path> ringFiles = new ArrayList<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private boolean cleanedUp;
    private int removedFiles;

    @Override
    public Integer call() throws Exception
    {
        checkOptions();
        final PrintWriter out = spec.commandLine().getOut();
        final long start = System.nanoTime();
        final Thread onCtrlC = new Thread(this::cleanUpQuietly, "shmring-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        String failure;
        try
        {
            failure = run(out);
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ErrorReporter.describe(ex);
        }
        finally
        {
            cleanUp();
            removeHook(onCtrlC);
        }
        synchronized (printLock)
        {
            out.printf(Locale.ROOT, "demo: removed %d ring files%n", removedFiles);
            if (failure == null)
            {
                out.printf(Locale.ROOT, "demo: OK: %d processes exited 0 and every sequence check passed, in %.1f s%n",
                    children.size(), (System.nanoTime() - start) / 1e9);
            }
            else
            {
                out.println("demo: FAILED: " + failure);
            }
            out.flush();
        }
        return failure == null ? 0 : 1;
    }

    private void checkOptions()
    {
        if (durationSeconds < 1 || durationSeconds > 3_600)
        {
            throw new IllegalArgumentException("--duration must be 1 to 3600 s: duration=" + durationSeconds);
        }
        if (burst < 1 || intervalMs < 1 || orderEvery < 1)
        {
            throw new IllegalArgumentException("--burst, --interval and --order-every must be >= 1: burst=" + burst +
                " interval=" + intervalMs + " order-every=" + orderEvery);
        }
        if (intervalMs > durationSeconds * 1_000)
        {
            throw new IllegalArgumentException("--interval must not exceed --duration: interval=" + intervalMs + " ms duration=" +
                durationSeconds + " s");
        }
        if (warmupSeconds < 0 || warmupSeconds >= durationSeconds)
        {
            throw new IllegalArgumentException("--warmup must be at least 0 and less than --duration: warmup=" + warmupSeconds +
                " duration=" + durationSeconds);
        }
        if (strategies < 1 || strategies > MAX_STRATEGIES)
        {
            throw new IllegalArgumentException("--strategies must be 1 to " + MAX_STRATEGIES + ": strategies=" + strategies);
        }
        RingConfig.spsc(capacity); // validates the capacity before any file exists
    }

    /**
     * @return null on success, else what failed.
     */
    private String run(final PrintWriter out) throws IOException, InterruptedException
    {
        final String base = "shmring-demo-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        final Path orderRing = createRing(base + "-orders", RingConfig.mpsc(capacity));
        final long warmupTicks = warmupSeconds * 1_000L / intervalMs * burst;
        final Path tickRing = createRing(base + "-ticks", RingConfig.broadcast(capacity, BroadcastConfig.lossless(strategies)));
        synchronized (printLock)
        {
            out.printf(Locale.ROOT, "demo: market data -> %d strategies (one broadcast ring) -> orders (one MPSC ring) -> gateway, " +
                "each a process; consumers sleep on futexes between bursts%n", strategies);
            out.printf(Locale.ROOT, "demo: %,d s of %,d-tick bursts every %d ms (%,d ticks/s per strategy), an order every %,d ticks%n",
                durationSeconds, burst, intervalMs, burst * 1_000L / intervalMs, orderEvery);
            out.printf(Locale.ROOT, "demo: final latency percentiles leave out the first %d s of ticks (%,d, the warm-up); " +
                "the live lines include them%n", warmupSeconds, warmupTicks);
            out.printf(Locale.ROOT, "demo: ring %s (MPSC, orders to the gateway, %,d B)%n", orderRing, capacity);
            out.printf(Locale.ROOT, "demo: ring %s (broadcast, lossless, ticks to %d strategies, %,d B)%n", tickRing, strategies,
                capacity);
            out.flush();
        }
        start("gateway", OrderGateway.class, List.of(orderRing.toString(), String.valueOf(strategies), String.valueOf(warmupTicks)));
        for (int s = 1; s <= strategies; s++)
        {
            start("strategy-" + s, Strategy.class,
                List.of(String.valueOf(s), tickRing.toString(), orderRing.toString(), String.valueOf(orderEvery),
                    String.valueOf(warmupTicks)));
        }
        final List<String> publisherArgs = new ArrayList<>(List.of(String.valueOf(durationSeconds * 1_000L), String.valueOf(burst),
            String.valueOf(intervalMs), tickRing.toString(), String.valueOf(strategies)));
        start("marketdata", MarketDataPublisher.class, publisherArgs);
        return awaitChildren(TimeUnit.SECONDS.toNanos(durationSeconds + STARTUP_AND_DRAIN_ALLOWANCE_S));
    }

    private Path createRing(final String name, final RingConfig config)
    {
        final Path path = SharedMemoryDirectory.resolve(name);
        synchronized (this)
        {
            ringFiles.add(path); // before creating: a failure half-way still deletes it
        }
        // the children map it; this process only creates it and unmaps at once
        RingFile.create(path, config.withWakeMechanism(WakeMechanism.FUTEX)).close();
        return path;
    }

    private void start(final String role, final Class<?> main, final List<String> args) throws IOException
    {
        // one step under the lock cleanUp takes: a Ctrl-C during the start either finds the child listed (and kills
        // it) or comes first, and then no child starts at all
        synchronized (this)
        {
            if (cleanedUp)
            {
                throw new IllegalStateException("demo is stopping: " + role + " not started");
            }
            final ChildProcess child = ChildProcess.start(role, main, args, spec.commandLine().getOut(), spec.commandLine().getErr(),
                printLock);
            children.add(child);
        }
    }

    private String awaitChildren(final long timeoutNanos) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            boolean allExited = true;
            for (final ChildProcess child : children)
            {
                if (child.process().isAlive())
                {
                    allExited = false;
                }
                else if (child.process().exitValue() != 0)
                {
                    return child.role() + " exited with code " + child.process().exitValue();
                }
            }
            if (allExited)
            {
                return null;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return "not finished within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s";
            }
            Thread.sleep(20);
        }
    }

    /**
     * Kill every child still running and delete every ring file; runs once, from the command or the shutdown hook.
     */
    private synchronized void cleanUp() throws InterruptedException
    {
        if (cleanedUp)
        {
            return;
        }
        cleanedUp = true;
        for (final ChildProcess child : children)
        {
            child.destroyAndAwait();
        }
        for (final Path path : ringFiles)
        {
            try
            {
                if (Files.deleteIfExists(path))
                {
                    removedFiles++;
                }
            }
            catch (final IOException ex)
            {
                spec.commandLine().getErr().println("demo: could not remove " + path + ": " + ex.getMessage());
            }
        }
    }

    private void cleanUpQuietly()
    {
        try
        {
            cleanUp();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook runs (or ran) and finds the work done
        }
    }
}
