package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring file truncated under a running command (issue 13, case 7): the fault the JVM raises in mapped memory is one
 * line on stderr and exit code 1, never a stack trace or a crash.
 */
class MappedFaultTest
{
    private final Path ring = Cli.shmPath("cli-fault");
    private Process child;

    @AfterEach
    void cleanUp() throws IOException
    {
        if (child != null)
        {
            child.destroyForcibly();
        }
        Files.deleteIfExists(ring);
    }

    /**
     * A command that fails as a Java read of a truncated mapping does.
     */
    @Command(name = "fault")
    static final class FaultingCommand implements Runnable
    {
        @Override
        public void run()
        {
            throw new InternalError("a fault occurred in an unsafe memory access operation");
        }
    }

    @Test
    void shouldTurnAFaultInMappedMemoryIntoOneLineAndExitCodeOne()
    {
        final CommandLine commandLine = ShmringCommand.newCommandLine().addSubcommand(new FaultingCommand());
        final StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));

        final int exitCode = commandLine.execute("fault");

        assertEquals(1, exitCode);
        assertEquals(List.of("shmring fault: " + ErrorReporter.MAPPED_FAULT + ": a fault occurred in an unsafe memory access operation"),
            Arrays.asList(err.toString().split("\\R")));
    }

    @Test
    void shouldEndRecvWithOneLineWhenItsRingFileIsTruncatedUnderIt() throws Exception
    {
        try (RingFile file = RingFile.create(ring, RingConfig.spsc(64 * 1024)))
        {
            child = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
                    List.of("recv", "shm:" + ring + "?wait=backoff", "--count", "1", "--timeout", "60"))
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (file.consumerStatus().pid() != child.pid()) // handshake: the child holds the consumer role
            {
                assertTrue(child.isAlive(), "recv ended before attaching");
                assertTrue(System.nanoTime() - deadline < 0, "recv did not attach within 60 s");
                Thread.sleep(10);
            }
            try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.WRITE))
            {
                channel.truncate(4096); // the control block and data are gone under the child's mapping
            }

            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "recv did not end after the truncation");
            final String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            final List<String> lines = Arrays.stream(err.split("\\R")).filter(line -> !line.isEmpty()).collect(Collectors.toList());
            System.out.println("recv after truncation: exit " + child.exitValue() + ", stderr " + lines);
            assertEquals(1, child.exitValue(), err);
            assertEquals(1, lines.size(), err);
            assertTrue(lines.get(0).startsWith("shmring recv: ") &&
                (lines.get(0).contains(ErrorReporter.MAPPED_FAULT) || lines.get(0).contains("shrank while mapped")), err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        }
    }
}
