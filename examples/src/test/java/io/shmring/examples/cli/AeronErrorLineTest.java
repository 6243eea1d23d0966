package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code aeron:} URI Aeron refuses ends the command with exit 1 and exactly one line on stderr, whatever the
 * embedded media driver reported on its own thread meanwhile (that detail only with {@code --verbose}). The command
 * line in child JVMs, as a shell runs it; loopback addresses only.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AeronErrorLineTest
{
    private static final long TIMEOUT_MS = 60_000;

    private final List<ChildProcess> children = new ArrayList<>();
    private final List<Path> rings = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        children.forEach(ChildProcess::close);
        rings.forEach(TestPaths::deleteQuietly);
    }

    @Test
    void shouldPrintOneLineForAPortOutOfRange() throws Exception
    {
        assertOneLine(run("recv", "aeron:udp?endpoint=127.0.0.1:99999", "--timeout", "30"), "port out of range:99999");
    }

    @Test
    void shouldPrintOneLineForAMissingPort() throws Exception
    {
        assertOneLine(run("recv", "aeron:udp?endpoint=127.0.0.1", "--timeout", "30"), "address:port is required");
    }

    @Test
    void shouldPrintOneLineForAnUnresolvableHost() throws Exception
    {
        assertOneLine(run("recv", "aeron:udp?endpoint=no-such-host.invalid:40123", "--timeout", "30"),
            "no-such-host.invalid");
    }

    @Test
    void shouldPrintOneLineForAPortInUse() throws Exception
    {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final int port = squatter.getLocalPort();
            assertOneLine(run("recv", "aeron:udp?endpoint=127.0.0.1:" + port, "--timeout", "30"), "Address already in use");
        }
    }

    @Test
    void shouldPrintOneLineForASecondBridgeOnTheSameEndpoint() throws Exception
    {
        final int port = freeUdpPort();
        final String source = "aeron:udp?endpoint=127.0.0.1:" + port;
        final ChildProcess first = ChildProcess.start(ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
            List.of("bridge", source, "shm:" + ring("aeron-error-first") + "?capacity=64k")).redirectErrorStream(true));
        children.add(first);
        first.awaitLine(BridgeCommand.READY, TIMEOUT_MS);

        assertOneLine(run("bridge", source, "shm:" + ring("aeron-error-second") + "?capacity=64k"), "Address already in use");
        assertTrue(first.process().isAlive(), "the first bridge goes on: " + first.lines());
    }

    @Test
    void shouldPrintTheDriversDetailWithVerbose() throws Exception
    {
        final Result result = run("recv", "aeron:udp?endpoint=127.0.0.1:99999", "--timeout", "30", "--verbose");
        assertEquals(1, result.exitCode, result.stderr);
        assertTrue(result.lines.size() > 1 && result.stderr.contains("InvalidChannelException"),
            "--verbose shows what the driver reported: " + result.stderr);
    }

    private static void assertOneLine(final Result result, final String says)
    {
        System.out.println("AeronErrorLineTest " + result.command + " -> exit " + result.exitCode + ": " + result.stderr.strip());
        assertEquals(1, result.exitCode, result.stderr);
        assertEquals(1, result.lines.size(), "exactly one line on stderr:\n" + result.stderr);
        assertTrue(result.lines.get(0).startsWith("shmring ") && result.lines.get(0).contains(says), result.lines.get(0));
    }

    private Result run(final String... args) throws IOException, InterruptedException
    {
        final Process process = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"), List.of(args))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try
        {
            final String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS), "the command ended: " + stderr);
            final List<String> lines = new ArrayList<>();
            for (final String line : stderr.split("\n"))
            {
                if (!line.isEmpty())
                {
                    lines.add(line);
                }
            }
            return new Result(String.join(" ", args), process.exitValue(), stderr, lines);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private Path ring(final String prefix)
    {
        final Path path = TestPaths.uniqueShmPath(prefix);
        rings.add(path);
        return path;
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    private static final class Result
    {
        private final String command;
        private final int exitCode;
        private final String stderr;
        private final List<String> lines;

        Result(final String command, final int exitCode, final String stderr, final List<String> lines)
        {
            this.command = command;
            this.exitCode = exitCode;
            this.stderr = stderr;
            this.lines = lines;
        }
    }
}
