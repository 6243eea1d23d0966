package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code shmring demo} end to end: this JVM runs the command, which starts the publisher, strategies and
 * gateway as real child JVMs on ring files in /dev/shm.
 */
class DemoCommandTest
{
    /** How long a child JVM may take to start, or the demo to end after a kill: only a hang takes this long. */
    private static final long DEADLINE_S = 60;

    private static final Pattern RING = Pattern.compile("^demo: ring (\\S+) \\(");
    private static final Pattern PERCENTILES = Pattern.compile(
        "^\\[(\\S+)\\s*] (\\S+) us: p50 ([\\d.]+)  p90 ([\\d.]+)  p99 ([\\d.]+)  p99\\.9 ([\\d.]+)  max ([\\d.]+)  \\(n=([\\d,]+)\\)$");
    private static final Pattern LIVE = Pattern.compile("^\\[gateway\\s*] live +\\d+ s  orders/s ([\\d,]+) \\+ ([\\d,]+)  tick->order us p50 ");
    private static final Pattern WAITING = Pattern.compile(
        "^\\[(\\S+)\\s*] waiting in take: ([\\d.]+) s wall, ([\\d.]+) ms CPU .*; futex wait syscalls ([\\d,]+)");

    @Test
    void shouldRunMarketDataStrategiesAndGatewayInChildJvmsAndReportRatesLatencyAndChecks()
    {
        // 3 s of 500-tick bursts every 10 ms: 150,000 ticks per strategy, an order every 100th: 1,500 orders each;
        // the percentiles leave out the first second: 50,000 ticks, 500 orders each
        final Cli.Result result = Cli.run("demo", "--duration", "3", "--burst", "500", "--interval", "10", "--order-every", "100");

        assertEquals(0, result.exitCode(), result::toString);
        final List<String> lines = result.outLines();
        assertTrue(lines.contains("[strategy-1] ticks: 150,000 received of 150,000 announced, 0 out of order, 0 unexpected frames: " +
            "sequence check OK"), result::toString);
        assertTrue(lines.contains("[strategy-2] ticks: 150,000 received of 150,000 announced, 0 out of order, 0 unexpected frames: " +
            "sequence check OK"), result::toString);
        assertTrue(lines.contains("[gateway   ] orders: strategy-1 1,500 of 1,500 announced, 0 out of order; strategy-2 1,500 of 1,500 " +
            "announced, 0 out of order; 0 unexpected frames: sequence check OK"), result::toString);
        assertFalse(result.out().contains("FAILED"), result::toString);
        assertTrue(lines.stream().anyMatch((line) -> line.startsWith("[marketdata] sent 150,000 ticks once, to 2 strategies over one broadcast ring, in 300 bursts of 500")),
            result::toString);

        assertLiveLines(lines, result);
        assertPercentileLines(lines, result);
        assertWaitLines(lines, result);
        assertRingFilesRemoved(lines, result);
        assertTrue(lines.get(lines.size() - 1).startsWith("demo: OK: 4 processes exited 0 and every sequence check passed"), result::toString);
    }

    @Test
    void shouldKillTheOtherProcessesFailAndRemoveTheRingsWhenAStrategyDies() throws Exception
    {
        final CompletableFuture<Cli.Result> demo = CompletableFuture.supplyAsync(() -> Cli.run("demo", "--duration", "60"));
        final ProcessHandle strategy = awaitChild("io.shmring.examples.trading.Strategy", DEADLINE_S);
        awaitMessagesOnEveryRing(awaitRingFiles(DEADLINE_S), DEADLINE_S); // all four processes run and attached

        strategy.destroyForcibly();

        final Cli.Result result = demo.get(DEADLINE_S, TimeUnit.SECONDS);
        assertEquals(1, result.exitCode(), result::toString);
        final String last = result.outLines().get(result.outLines().size() - 1);
        assertTrue(last.matches("demo: FAILED: strategy-\\d exited with code \\d+"), result::toString);
        assertRingFilesRemoved(result.outLines(), result);
        assertTrue(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).findAny().isEmpty(),
            "every child was killed and reaped");
    }

    @Test
    void shouldKillItsChildrenAndRemoveTheRingsWhenTerminated() throws Exception
    {
        final Process demo = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"), List.of("demo", "--duration", "60")).start();
        try
        {
            final BufferedReader stdout = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            final List<Path> rings = new ArrayList<>();
            String line;
            while (rings.size() < 2 && (line = stdout.readLine()) != null)
            {
                final Matcher m = RING.matcher(line);
                if (m.find())
                {
                    rings.add(Path.of(m.group(1)));
                }
            }
            assertEquals(2, rings.size(), "ring lines");
            final List<ProcessHandle> children = awaitChildren(demo.toHandle(), 4, DEADLINE_S);
            awaitMessagesOnEveryRing(rings, DEADLINE_S); // all four processes run and attached
            rings.forEach((ring) -> assertTrue(Files.exists(ring), ring::toString));

            demo.destroy(); // SIGTERM, as from kill or a closing terminal: the shutdown hook cleans up

            assertTrue(demo.waitFor(DEADLINE_S, TimeUnit.SECONDS), "demo did not end");
            // the hook kills each child and waits for it before the demo exits: none may outlive it, even briefly
            for (final ProcessHandle child : children)
            {
                assertFalse(child.isAlive(), () -> "outlived the demo, so its shutdown hook did not kill it: " + child.info());
            }
            rings.forEach((ring) -> assertFalse(Files.exists(ring), () -> "left behind: " + ring));
        }
        finally
        {
            demo.destroyForcibly();
        }
    }

    @Test
    void shouldRejectBadOptionsWithOneLineAndStartNothing()
    {
        final Cli.Result strategies = Cli.run("demo", "--strategies", "9");
        final Cli.Result capacity = Cli.run("demo", "--capacity", "1000");
        final Cli.Result interval = Cli.run("demo", "--duration", "1", "--interval", "2000");

        assertEquals(1, strategies.exitCode(), strategies::toString);
        assertEquals(List.of("shmring demo: --strategies must be 1 to 8: strategies=9"), strategies.errLines());
        assertEquals(1, capacity.exitCode(), capacity::toString);
        assertEquals(1, capacity.errLines().size(), capacity::toString);
        assertTrue(capacity.err().contains("capacity=1000"), capacity::toString);
        assertEquals(List.of("shmring demo: --interval must not exceed --duration: interval=2000 ms duration=1 s"), interval.errLines());
        assertEquals("", strategies.out() + capacity.out() + interval.out());
    }

    /**
     * The gateway prints a live line each second it runs, and it runs at least as long as the market data: 3 s
     * paced by the publisher's clock, which starts only after the gateway attached. How many lines, and the rates
     * they show, depend on scheduling: they are printed, not judged.
     */
    private static void assertLiveLines(final List<String> lines, final Cli.Result result)
    {
        final List<String> live = new ArrayList<>();
        for (final String line : lines)
        {
            if (line.startsWith("[gateway   ] live "))
            {
                assertTrue(LIVE.matcher(line).find(), () -> "malformed live line: " + line + "\n" + result);
                live.add(line);
            }
        }
        assertFalse(live.isEmpty(), () -> "no live line from the gateway\n" + result);
        live.forEach(System.out::println);
    }

    private static void assertPercentileLines(final List<String> lines, final Cli.Result result)
    {
        final List<String> seen = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher m = PERCENTILES.matcher(line);
            if (!m.matches())
            {
                continue;
            }
            seen.add(m.group(1) + " " + m.group(2));
            double previous = 0;
            for (int group = 3; group <= 7; group++)
            {
                final double value = Double.parseDouble(m.group(group));
                assertTrue(value > 0 && value >= previous, () -> "percentiles must be positive and non-decreasing: " + line);
                previous = value;
            }
            final long count = number(m.group(8));
            assertEquals("tick->strategy".equals(m.group(2)) ? 100_000 : 2_000, count, line);
        }
        assertEquals(List.of("strategy-1 tick->strategy", "strategy-2 tick->strategy", "gateway tick->order", "gateway strategy->gateway"),
            seen.stream().sorted((a, b) -> order(a) - order(b)).toList(), result::toString);
    }

    private static int order(final String key)
    {
        return key.startsWith("strategy-1") ? 0 : key.startsWith("strategy-2") ? 1 : key.endsWith("tick->order") ? 2 : 3;
    }

    /**
     * Each consumer reports its time in take, the CPU that cost and its futex waits. Whether it slept at all,
     * and how much CPU the waits cost, depends on how the processes were scheduled (a consumer that is always
     * behind never waits), so the figures are printed, not judged; that a blocked take sleeps on the futex is
     * the wake-line tests' business.
     */
    private static void assertWaitLines(final List<String> lines, final Cli.Result result)
    {
        final List<String> consumers = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher m = WAITING.matcher(line);
            if (m.find())
            {
                consumers.add(m.group(1));
                System.out.println(line);
            }
        }
        assertEquals(List.of("gateway", "strategy-1", "strategy-2"), consumers.stream().sorted().toList(), result::toString);
    }

    private static void assertRingFilesRemoved(final List<String> lines, final Cli.Result result)
    {
        final List<Path> rings = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher m = RING.matcher(line);
            if (m.find())
            {
                rings.add(Path.of(m.group(1)));
            }
        }
        assertEquals(2, rings.size(), result::toString);
        for (final Path ring : rings)
        {
            assertTrue(ring.getFileName().toString().startsWith("shmring-demo-" + ProcessHandle.current().pid() + "-"), ring::toString);
            assertFalse(Files.exists(ring), () -> "left behind: " + ring);
        }
        assertTrue(lines.contains("demo: removed 2 ring files"), result::toString);
    }

    /**
     * @return the demo's two ring files (orders, ticks) in the shared-memory directory, once both exist.
     */
    private static List<Path> awaitRingFiles(final long timeoutSeconds) throws Exception
    {
        final String prefix = "shmring-demo-" + ProcessHandle.current().pid() + "-";
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true)
        {
            try (Stream<Path> files = Files.list(SharedMemoryDirectory.get()))
            {
                final List<Path> rings = files.filter((path) -> path.getFileName().toString().startsWith(prefix)).toList();
                if (rings.size() == 2)
                {
                    return rings;
                }
                if (System.nanoTime() - deadline >= 0)
                {
                    return fail("expected the demo's 2 ring files, found " + rings);
                }
            }
            Thread.sleep(20);
        }
    }

    /**
     * Wait until every ring has a consumer attached and has carried a message: the gateway, the strategies
     * and the market-data publisher all run (orders exist only once ticks flowed). A handshake through the rings
     * themselves, read-only, instead of sleeping and hoping the processes are up by then.
     */
    private static void awaitMessagesOnEveryRing(final List<Path> rings, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (final Path path : rings)
        {
            while (true)
            {
                try (RingFile ring = RingFile.open(path))
                {
                    if (hasConsumer(ring) && ring.producerPosition() > 0)
                    {
                        break;
                    }
                    if (System.nanoTime() - deadline >= 0)
                    {
                        fail("no consumer or no message on " + path + " within " + timeoutSeconds + " s: consumer=" +
                            ring.consumerStatus() + " producerPosition=" + ring.producerPosition());
                    }
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * @return true if the ring's consumer (any consumer, for the broadcast tick ring) is attached.
     */
    private static boolean hasConsumer(final RingFile ring)
    {
        if (ring.kind() != RingKind.BROADCAST)
        {
            return ring.consumerStatus().isHeld();
        }
        for (int slot = 0; slot < ring.consumerSlots(); slot++)
        {
            if (ring.consumerSlotStatus(slot).party().isHeld())
            {
                return true;
            }
        }
        return false;
    }

    private static ProcessHandle awaitChild(final String mainClass, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() - deadline < 0)
        {
            final Optional<ProcessHandle> child = ProcessHandle.current().descendants()
                .filter((p) -> p.info().commandLine().orElse("").contains(" " + mainClass + " "))
                .findFirst();
            if (child.isPresent())
            {
                return child.get();
            }
            Thread.sleep(20);
        }
        return fail("no child running " + mainClass + " within " + timeoutSeconds + " s");
    }

    private static List<ProcessHandle> awaitChildren(final ProcessHandle parent, final int count, final long timeoutSeconds)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<ProcessHandle> children = parent.children().toList();
        while (children.size() < count)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return fail("expected " + count + " children of the demo, found " + children.size());
            }
            Thread.sleep(20);
            children = parent.children().toList();
        }
        return children;
    }

    private static long number(final String digits)
    {
        return Long.parseLong(digits.replace(",", ""));
    }
}
