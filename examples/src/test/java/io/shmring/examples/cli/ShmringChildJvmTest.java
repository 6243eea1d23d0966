package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a shell uses it: {@link ShmringCommand#main} in child JVMs, real stdin, stdout,
 * stderr and exit codes.
 */
class ShmringChildJvmTest
{
    private static final long TIMEOUT_S = 60;

    private final List<Path> created = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final Process process : started)
        {
            process.destroyForcibly();
        }
        for (final Path path : created)
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldPipeStdinLinesFromSendProcessToRecvProcessStdout() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-jvm-sr"));
        final String uri = "shm:" + ring + "?capacity=64k";
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++)
        {
            lines.add("line " + i + " " + "x".repeat(i % 50));
        }
        // both JVMs start at once: each waits for the other (send for a peer, recv for a line) up to a deadline
        // only a hang reaches
        final Process recv = start("recv", uri, "--timeout", String.valueOf(TIMEOUT_S));
        final Process send = start("send", uri, "--timeout", String.valueOf(TIMEOUT_S));

        try (OutputStream stdin = send.getOutputStream())
        {
            stdin.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        final String received = new String(recv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(send.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "send did not end");
        assertTrue(recv.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "recv did not end");
        assertEquals(0, send.exitValue(), () -> stderr(send));
        assertEquals(0, recv.exitValue(), () -> stderr(recv));
        assertEquals(lines, Arrays.asList(received.split("\n")));
        assertTrue(Files.exists(ring), "the ring outlives recv, so the next recv resumes where it stopped");
    }

    @Test
    void shouldPrintOneLineAndNoStackTraceForAFileThatIsNotARing() throws Exception
    {
        final Path text = track(Cli.tmpPath("cli-jvm-text"));
        Files.writeString(text, "not a ring\n");

        final Process stat = start("stat", text.toString());
        final String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = stderr(stat);

        assertTrue(stat.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "stat did not end");
        assertEquals(1, stat.exitValue());
        assertEquals("", out);
        assertEquals("shmring stat: file too short to be a ring: length=11 minimum=8256: path=" + text + "\n", err);
    }

    private Process start(final String... args) throws IOException
    {
        final Process process = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"), List.of(args))
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
        started.add(process);
        return process;
    }

    private static String stderr(final Process process)
    {
        try
        {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(stderr unreadable: " + ex + ")";
        }
    }

    private Path track(final Path path)
    {
        created.add(path);
        return path;
    }
}
