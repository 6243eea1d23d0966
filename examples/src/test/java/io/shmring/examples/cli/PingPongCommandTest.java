package io.shmring.examples.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code pingpong} in this JVM; its echo side is a real child JVM.
 */
class PingPongCommandTest
{
    private static final Pattern RTT = Pattern.compile(
        "rtt us: p50 ([\\d.]+)  p90 ([\\d.]+)  p99 ([\\d.]+)  p99\\.9 ([\\d.]+)  max ([\\d.]+)  mean ([\\d.]+)");

    /** Seconds pingpong waits for its echo child JVM to start and for each echo: only a hang takes this long. */
    private static final String TIMEOUT_S = "60";

    private final List<Path> created = new ArrayList<>();

    @AfterEach
    void deleteFiles() throws IOException
    {
        for (final Path path : created)
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldReportRoundTripPercentilesOverShm()
    {
        final Path ping = track(Cli.shmPath("cli-pp"));
        final Path pong = track(Path.of(ping + "-pong"));

        final Cli.Result result = Cli.run("pingpong", "shm:" + ping, "--count", "2000", "--warmup", "200", "--size", "64",
            "--timeout", TIMEOUT_S);

        assertReport(result, "shm:" + ping, "shm:" + pong, 2000, 64);
        assertTrue(Files.exists(ping), "rings outlive their ends: the ping ring stays for the next run");
        assertTrue(Files.exists(pong), "rings outlive their ends: the reply ring stays for the next run");
    }

    @Test
    void shouldReportRoundTripPercentilesOverUds()
    {
        final Path ping = track(Cli.tmpPath("cli-pp.sock"));
        final Path pong = track(Path.of(ping + "-pong"));

        final Cli.Result result = Cli.run("pingpong", "uds:" + ping, "--count", "2000", "--warmup", "200", "--size", "128",
            "--timeout", TIMEOUT_S);

        assertReport(result, "uds:" + ping, "uds:" + pong, 2000, 128);
    }

    @Test
    void shouldUseAnExplicitReplyUri()
    {
        final Path ping = track(Cli.shmPath("cli-pp-a"));
        final Path pong = track(Cli.tmpPath("cli-pp-b.sock"));

        final Cli.Result result = Cli.run("pingpong", "shm:" + ping, "--reply", "uds:" + pong, "--count", "500", "--warmup", "50",
            "--timeout", TIMEOUT_S);

        assertReport(result, "shm:" + ping, "uds:" + pong, 500, 64);
    }

    @Test
    void shouldRefuseAPipeUriWithoutStartingAnything()
    {
        final Cli.Result result = Cli.run("pingpong", "pipe:stdout");

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("", result.out());
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().startsWith("shmring pingpong: pingpong cannot run over pipe:"), result::toString);
    }

    @Test
    void shouldRefuseASizeTooSmallForTheSequenceNumber()
    {
        final Cli.Result result = Cli.run("pingpong", "shm:" + Cli.shmPath("cli-pp-small"), "--size", "4");

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("shmring pingpong: --size must be at least 8 (the sequence number): size=4"), result.errLines());
    }

    private static void assertReport(final Cli.Result result, final String ping, final String pong, final int count, final int size)
    {
        System.out.print(result.out());
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.err());
        final List<String> lines = result.outLines();
        assertEquals(3, lines.size(), result::toString);
        assertTrue(lines.get(0).matches(Pattern.quote("pingpong: " + ping + " -> echo pid ") + "\\d+" + Pattern.quote(" -> " + pong)),
            lines.get(0));
        assertTrue(lines.get(1).startsWith(String.format("pingpong: %,d round trips of %d B after ", count, size)), lines.get(1));
        final Matcher rtt = RTT.matcher(lines.get(2));
        assertTrue(rtt.matches(), lines.get(2));
        double previous = 0;
        for (int percentile = 1; percentile <= 5; percentile++)
        {
            final double value = Double.parseDouble(rtt.group(percentile));
            assertTrue(value > 0 && value >= previous, "percentiles must be positive and rising: " + lines.get(2));
            previous = value;
        }
    }

    private Path track(final Path path)
    {
        created.add(path);
        return path;
    }
}
