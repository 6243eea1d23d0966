package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring file truncated to nothing while a {@code send} or {@code recv} sleeps on one of its wake lines (issue 13
 * breaker, case 2): an MPSC producer asleep for space died by SIGBUS, 4 times of 4, in its atomic update of the wake
 * line's waiter count after the slice ended. Every sleeper now checks the file after each wake and slice before it
 * touches the line again, and the command ends with one line on stderr and exit code 1: never a signal, never an
 * hs_err file. Each child is a real JVM; the test process never maps the file it truncates.
 */
class TruncatedWhileAsleepTest
{
    private static final long WAIT_S = 60;

    private final List<Process> children = new ArrayList<>();
    private Path ring;
    private Path errorFiles;
    private Path lines;

    @BeforeEach
    void setUp() throws IOException
    {
        ring = Cli.shmPath("cli-truncated-asleep");
        errorFiles = Files.createTempDirectory("hs-err");
        lines = Files.createTempFile("lines", ".txt");
        Files.writeString(lines, ("x".repeat(100) + "\n").repeat(200)); // more than a 4 KiB ring holds
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final Process child : children)
        {
            child.destroyForcibly();
        }
        Files.deleteIfExists(ring);
        Files.deleteIfExists(lines);
        Cli.deleteTree(errorFiles);
    }

    static Stream<Arguments> sleepers()
    {
        return Stream.of(
            Arguments.of("an MPSC send asleep for space", RingConfig.mpsc(4096), "send"),
            Arguments.of("an SPSC send asleep for space", RingConfig.spsc(4096), "send"),
            Arguments.of("an MPSC recv asleep for a message", RingConfig.mpsc(4096), "recv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sleepers")
    void shouldEndACommandAsleepOnAWakeLineWithOneLine(final String what, final RingConfig config, final String command)
        throws Exception
    {
        RingFile.create(ring, config).close();
        final boolean send = "send".equals(command);
        final Process child = send ? send() : recv();
        awaitSleeper(send ? RingDescriptor.NOT_FULL_WAKE_OFFSET : RingDescriptor.NOT_EMPTY_WAKE_OFFSET, child);
        truncate();
        assertOneLineAndExitOne(child, command);
    }

    @Test
    void shouldEndBroadcastSendAndRecvAsleepWithOneLineEach() throws Exception
    {
        // lossless, with a stall timeout longer than the test: a stopped consumer holds the producer back for good
        RingFile.create(ring, RingConfig.broadcast(4096, new BroadcastConfig(4, BroadcastPolicy.LOSSLESS, 600_000))).close();
        final Process recv = recv();
        awaitSleeper(RingDescriptor.NOT_EMPTY_WAKE_OFFSET, recv);
        signal("STOP", recv); // asleep on the not-empty line, and stays there while frozen
        final Process send = send();
        awaitSleeper(RingDescriptor.NOT_FULL_WAKE_OFFSET, send);

        truncate();

        assertOneLineAndExitOne(send, "send");
        signal("CONT", recv); // it wakes at the end of its slice, in a file that is gone
        assertOneLineAndExitOne(recv, "recv");
    }

    private Process send() throws IOException
    {
        return start(List.of("send", "--timeout", String.valueOf(WAIT_S), "shm:" + ring), lines);
    }

    private Process recv() throws IOException
    {
        return start(List.of("recv", "--timeout", String.valueOf(WAIT_S), "shm:" + ring), null);
    }

    private Process start(final List<String> args, final Path input) throws IOException
    {
        final ProcessBuilder builder = ChildJvm.builder(ShmringCommand.class,
                List.of("-Xmx128m", "-XX:ErrorFile=" + errorFiles.resolve("hs_err_pid%p.log")), args)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (input != null)
        {
            builder.redirectInput(input.toFile());
        }
        final Process child = builder.start();
        children.add(child);
        return child;
    }

    /**
     * Handshake: the child is registered to sleep on the wake line (the waiter count in the file, read with a plain
     * read of the file: the test maps nothing it will truncate).
     */
    private void awaitSleeper(final int lineOffset, final Process child) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (readInt(lineOffset + WakeLineDescriptor.WAITERS_OFFSET) == 0)
        {
            assertTrue(child.isAlive(), () -> "child ended before sleeping: " + stderr(child));
            assertTrue(System.nanoTime() - deadline < 0, "child did not sleep on the line within " + WAIT_S + " s");
            Thread.sleep(10);
        }
    }

    private int readInt(final long offset) throws IOException
    {
        if (!Files.exists(ring))
        {
            return 0; // not created yet
        }
        try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            return channel.read(bytes, offset) == Integer.BYTES ? bytes.getInt(0) : 0;
        }
    }

    private void truncate() throws IOException
    {
        try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
    }

    private void assertOneLineAndExitOne(final Process child, final String command) throws Exception
    {
        assertTrue(child.waitFor(WAIT_S, TimeUnit.SECONDS), command + " did not end after the truncation");
        final String err = stderr(child);
        final List<String> errLines = Arrays.stream(err.split("\\R")).filter(line -> !line.isEmpty()).collect(Collectors.toList());
        try (Stream<Path> crashes = Files.list(errorFiles))
        {
            assertEquals(List.of(), crashes.collect(Collectors.toList()), "the JVM crashed:\n" + err);
        }
        System.out.println(command + " after the truncation: exit " + child.exitValue() + ", stderr " + errLines);
        assertEquals(1, child.exitValue(), "exit 1, not a signal (128 + n): " + err);
        assertEquals(1, errLines.size(), err);
        assertTrue(errLines.get(0).startsWith("shmring " + command + ": ") &&
            (errLines.get(0).contains("shrank while mapped") || errLines.get(0).contains(ErrorReporter.MAPPED_FAULT)), err);
    }

    private static String stderr(final Process child)
    {
        try
        {
            return child.isAlive() ? "(running)" : new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    private static void signal(final String name, final Process child) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(child.pid())).inheritIO().start();
        assertTrue(kill.waitFor(WAIT_S, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }
}
