package io.shmring.examples.bridge;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.TestPaths;
import io.shmring.examples.cli.BridgeCommand;
import io.shmring.examples.cli.ShmringCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five processes: A writes a shm ring, a bridge forwards it to aeron:udp on 127.0.0.1, a second bridge forwards
 * that to another shm ring, B reads it and checks every frame (order and every byte). Once straight through, and
 * once each with a bridge killed (SIGKILL) in the middle and restarted, checking exactly what the README's
 * "Across hosts" section promises a restart loses or repeats.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BridgeAcrossAeronTest
{
    /** The sending bridge's --batch: at most this many frames come again after it is killed. */
    private static final int BATCH = 256;
    /** term-length of the Aeron hop: the publication window is half of it. */
    private static final int TERM_LENGTH = 1024 * 1024;
    /** rcv-wnd of the Aeron hop. */
    private static final int RECEIVER_WINDOW = 128 * 1024;
    /** One SequencedFrames frame in Aeron's log: 32-byte data header + 8-byte shmring header + 32, aligned to 32. */
    private static final int AERON_FRAME = 96;
    private static final long LINE_TIMEOUT_MS = 60_000;
    private static final long RESULT_TIMEOUT_MS = 150_000;
    private static final List<String> BRIDGE_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC",
        "-Daeron.image.liveness.timeout=2s"); // a killed sender's session is let go after 2 s, not 10
    private static final Pattern PORT = Pattern.compile("endpoint=127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RESULT = Pattern.compile(
        "result frames=(\\d+) corrupt=(\\d+) endOfStream=(true|false) runs=(.*)");

    private final Path ring1 = TestPaths.uniqueShmPath("bridge-a");
    private final Path ring2 = TestPaths.uniqueShmPath("bridge-b");
    private final List<ChildProcess> children = new ArrayList<>();

    private enum Kill
    {
        NONE, SENDING_BRIDGE, RECEIVING_BRIDGE
    }

    /**
     * B's view: frames received, corrupt ones, whether it saw the end, and the runs of consecutive sequences.
     */
    private record Result(long frames, long corrupt, boolean endOfStream, List<long[]> runs)
    {
    }

    @AfterEach
    void cleanUp() throws Exception
    {
        final List<Long> pids = new ArrayList<>();
        for (final ChildProcess child : children)
        {
            child.close();
            pids.add(child.process().pid());
        }
        TestPaths.deleteQuietly(ring1);
        TestPaths.deleteQuietly(ring2);
        final List<Path> left = driverDirectories(pids);
        for (final Path directory : left)
        {
            org.agrona.IoUtil.delete(directory.toFile(), true);
        }
        assertEquals(List.of(), left, "every bridge's driver directory is gone: deleted at exit, or a killed one's by its successor");
    }

    @Test
    void shouldCarryMillionFramesInOrderThroughTwoBridgesOverAeronUdp() throws Exception
    {
        final long count = 1_000_000;
        final long start = System.nanoTime();
        final Result result = run(count, Kill.NONE);
        System.out.printf("bridge test: %d frames A -> shm -> bridge -> aeron:udp -> bridge -> shm -> B in %.1f s%n",
            count, (System.nanoTime() - start) / 1e9);

        assertEquals(0, jumpAtResume(result, count), "one run: every frame once, in order");
        assertEquals(1, result.runs().size());
    }

    @Test
    void shouldLoseAtMostOneReceiverWindowAndRepeatNothingWhenReceivingBridgeIsKilled() throws Exception
    {
        final long count = 300_000;
        final long lost = jumpAtResume(run(count, Kill.RECEIVING_BRIDGE), count);

        System.out.println("bridge test: receiving bridge killed: " + lost + " frames lost");
        assertTrue(lost >= 0, "a restarted receiving bridge never repeats: " + lost);
        assertTrue(lost <= RECEIVER_WINDOW / AERON_FRAME + 1, "lost at most one receiver window and the frame in hand: " + lost);
    }

    @Test
    void shouldLoseAtMostTheWindowsOrRepeatAtMostOneBatchWhenSendingBridgeIsKilled() throws Exception
    {
        final long count = 300_000;
        final long jump = jumpAtResume(run(count, Kill.SENDING_BRIDGE), count);

        System.out.println("bridge test: sending bridge killed: " + (jump >= 0 ? jump + " frames lost" : -jump + " frames repeated"));
        assertTrue(jump * AERON_FRAME <= TERM_LENGTH / 2 + RECEIVER_WINDOW + AERON_FRAME,
            "lost at most the publication and receiver windows: " + jump);
        assertTrue(-jump <= BATCH, "repeated at most one batch: " + -jump);
    }

    /**
     * B saw every frame intact, from 0 to the last, with at most one resume point.
     *
     * @return frames skipped at the resume point (negative: frames seen twice), 0 without one.
     */
    private static long jumpAtResume(final Result result, final long count)
    {
        assertEquals(0, result.corrupt(), "every frame B received is intact");
        assertTrue(result.endOfStream(), "the end of the stream reached B");
        final List<long[]> runs = result.runs();
        assertTrue(runs.size() == 1 || runs.size() == 2, "one resume point at most: " + describe(runs));
        assertEquals(0, runs.get(0)[0], "B starts at frame 0: " + describe(runs));
        assertEquals(count - 1, runs.get(runs.size() - 1)[1], "everything after the restart arrives: " + describe(runs));
        final long jump = runs.size() == 1 ? 0 : runs.get(1)[0] - runs.get(0)[1] - 1;
        assertEquals(count - jump, result.frames(), "frames B received: all, less those skipped, plus those repeated");
        return jump;
    }

    private Result run(final long count, final Kill kill) throws Exception
    {
        final String ring2Uri = "shm:" + ring2 + "?capacity=1m";
        final List<String> receivingArgs = new ArrayList<>(List.of("bridge",
            "aeron:udp?endpoint=127.0.0.1:0|rcv-wnd=" + RECEIVER_WINDOW, ring2Uri, "--sequence-offset", "0"));
        ChildProcess receiving = start(ShmringCommand.class, BRIDGE_JVM, receivingArgs);
        final Matcher port = PORT.matcher(receiving.awaitLine(BridgeCommand.READY, LINE_TIMEOUT_MS));
        assertTrue(port.find());
        receivingArgs.set(1, "aeron:udp?endpoint=127.0.0.1:" + port.group(1) + "|rcv-wnd=" + RECEIVER_WINDOW);

        final ChildProcess reader = start(SequenceReaderMain.class, List.of("-Xmx256m"), List.of(ring2Uri, "50000"));
        reader.awaitLine("ready", LINE_TIMEOUT_MS);
        final List<String> sendingArgs = List.of("bridge", "shm:" + ring1 + "?capacity=1m",
            "aeron:udp?endpoint=127.0.0.1:" + port.group(1) + "|term-length=" + TERM_LENGTH,
            "--batch", String.valueOf(BATCH));
        ChildProcess sending = start(ShmringCommand.class, BRIDGE_JVM, sendingArgs);
        sending.awaitLine(BridgeCommand.READY, LINE_TIMEOUT_MS);
        final ChildProcess writer = start(SequenceWriterMain.class, List.of("-Xmx128m"),
            List.of("shm:" + ring1 + "?capacity=1m", String.valueOf(count)));

        if (kill != Kill.NONE)
        {
            reader.awaitLine("progress 100000", LINE_TIMEOUT_MS);
            if (kill == Kill.SENDING_BRIDGE)
            {
                sending = restart(sending, sendingArgs);
            }
            else
            {
                receiving = restart(receiving, receivingArgs);
            }
        }

        final String line = reader.awaitLine("result ", RESULT_TIMEOUT_MS);
        assertEquals(0, writer.awaitExit(LINE_TIMEOUT_MS), () -> "writer: " + writer.lines());
        final ChildProcess sendingBridge = sending;
        final ChildProcess receivingBridge = receiving;
        assertEquals(0, sendingBridge.awaitExit(LINE_TIMEOUT_MS), () -> "sending bridge: " + sendingBridge.lines());
        assertEquals(0, receivingBridge.awaitExit(LINE_TIMEOUT_MS), () -> "receiving bridge: " + receivingBridge.lines());
        assertEquals(0, reader.awaitExit(LINE_TIMEOUT_MS));
        System.out.println("bridge test: sending bridge: " + last(sendingBridge.lines()));
        System.out.println("bridge test: receiving bridge: " + last(receivingBridge.lines()));
        System.out.println("bridge test: B: " + line);
        return parse(line);
    }

    private ChildProcess restart(final ChildProcess bridge, final List<String> args) throws Exception
    {
        bridge.process().destroyForcibly(); // SIGKILL: no close, no end of stream, its driver dies with it
        assertTrue(bridge.process().waitFor(30, TimeUnit.SECONDS), "killed bridge exits");
        final ChildProcess restarted = start(ShmringCommand.class, BRIDGE_JVM, args);
        restarted.awaitLine(BridgeCommand.READY, LINE_TIMEOUT_MS);
        return restarted;
    }

    private ChildProcess start(final Class<?> main, final List<String> jvm, final List<String> args)
    {
        final ChildProcess child = ChildProcess.start(ChildJvm.builder(main, jvm, args).redirectErrorStream(true));
        children.add(child);
        return child;
    }

    private static Result parse(final String line)
    {
        final Matcher matcher = RESULT.matcher(line);
        assertTrue(matcher.matches(), line);
        final List<long[]> runs = new ArrayList<>();
        if (!matcher.group(4).isEmpty())
        {
            for (final String run : matcher.group(4).split(","))
            {
                final String[] ends = run.split("-");
                runs.add(new long[] {Long.parseLong(ends[0]), Long.parseLong(ends[1])});
            }
        }
        return new Result(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
            Boolean.parseBoolean(matcher.group(3)), runs);
    }

    private static String describe(final List<long[]> runs)
    {
        final StringBuilder text = new StringBuilder();
        for (final long[] run : runs)
        {
            text.append(text.length() == 0 ? "" : ",").append(run[0]).append('-').append(run[1]);
        }
        return text.toString();
    }

    private static String last(final List<String> lines)
    {
        return lines.isEmpty() ? "(nothing)" : lines.get(lines.size() - 1);
    }

    private static List<Path> driverDirectories(final List<Long> pids) throws IOException
    {
        final List<Path> found = new ArrayList<>();
        for (final long pid : pids)
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(SharedMemoryDirectory.get(), "shmring-aeron-" + pid + "-*"))
            {
                entries.forEach(found::add);
            }
        }
        return found;
    }
}
