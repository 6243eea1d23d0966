package io.shmring.examples.transport;

import io.shmring.core.internal.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same {@link TransportSwitch} code as a publisher process and a subscriber process, over each scheme;
 * only the URI differs.
 */
class TransportSwitchTest
{
    private static final int COUNT = 20_000;

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

    @ParameterizedTest
    @ValueSource(strings = {"shm", "uds", "fifo"})
    void shouldCarryEveryMessageInOrderBetweenTwoProcessesOverANamedTransport(final String scheme) throws Exception
    {
        final Path path = track(scheme.equals("shm") ? Path.of("/dev/shm", uniqueName("ts")) :
            Path.of(System.getProperty("java.io.tmpdir"), uniqueName("ts") + "." + scheme));
        final String uri = scheme + ":" + path;

        final Process subscriber = start(ChildJvm.builder(TransportSwitch.class, "subscribe", uri, String.valueOf(COUNT)));
        final Process publisher = start(ChildJvm.builder(TransportSwitch.class, "publish", uri, String.valueOf(COUNT)));
        final String out = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(publisher.waitFor(60, TimeUnit.SECONDS), "publisher did not end");
        assertTrue(subscriber.waitFor(60, TimeUnit.SECONDS), "subscriber did not end");
        assertEquals(0, publisher.exitValue(), out);
        assertEquals(0, subscriber.exitValue(), out);
        assertReceivedAll(out, uri);
        if (scheme.equals("shm"))
        {
            assertTrue(Files.exists(path), "the ring outlives its ends: " + path);
        }
    }

    @Test
    void shouldCarryEveryMessageInOrderFromParentToChildOverAPipe() throws Exception
    {
        final List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
            ChildJvm.builder(TransportSwitch.class, "publish", "pipe:stdout", String.valueOf(COUNT)),
            ChildJvm.builder(TransportSwitch.class, "subscribe", "pipe:stdin", String.valueOf(COUNT))));
        started.addAll(pipeline);
        final Process publisher = pipeline.get(0);
        final Process subscriber = pipeline.get(1);
        final String out = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(publisher.waitFor(60, TimeUnit.SECONDS), "publisher did not end");
        assertTrue(subscriber.waitFor(60, TimeUnit.SECONDS), "subscriber did not end");
        assertEquals(0, publisher.exitValue(), out);
        assertEquals(0, subscriber.exitValue(), out);
        assertReceivedAll(out, "pipe:stdin");
    }

    private static void assertReceivedAll(final String out, final String uri)
    {
        final String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].matches("subscriber: 20,000 of 20,000 messages over \\Q" + uri + "\\E in [\\d.]+ s, 0 out of order, " +
            "0 unexpected: sequence check OK"), out);
        assertTrue(lines[1].matches("subscriber: [\\d,]+ msgs/s; send-to-receive us \\(queueing behind a full-speed publisher included\\) " +
            "p50 [\\d.]+  p99 [\\d.]+  max [\\d.]+"), out);
    }

    private Process start(final ProcessBuilder builder) throws IOException
    {
        final Process process = builder.start();
        started.add(process);
        return process;
    }

    private Path track(final Path path)
    {
        created.add(path);
        return path;
    }

    private static String uniqueName(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
