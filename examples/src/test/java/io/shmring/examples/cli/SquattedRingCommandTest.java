package io.shmring.examples.cli;

import io.shmring.core.FileAccess;
import io.shmring.core.test.OtherUser;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI on a ring file others may use: {@code send} and {@code recv} refuse it with one line and exit 1, touching
 * nothing; {@code stat} still reads it, and reads another user's ring, as an operator inspecting rings must.
 */
class SquattedRingCommandTest
{
    private final Path ring = Cli.shmPath("cli-squatted");
    private InputStream originalIn;

    @BeforeEach
    void saveStdin()
    {
        originalIn = System.in;
    }

    @AfterEach
    void restoreStdinAndDeleteRing() throws IOException
    {
        System.setIn(originalIn);
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldRefuseToSendToRingOtherUsersMayWriteWithOneLineAndExitCode1() throws IOException
    {
        RingFile.create(ring, RingConfig.spsc(4096)).close();
        Files.setAttribute(ring, "unix:mode", 0666);
        final byte[] before = Files.readAllBytes(ring);
        System.setIn(new ByteArrayInputStream("secret\n".getBytes(StandardCharsets.UTF_8)));

        final Cli.Result send = Cli.run("send", "shm:" + ring, "--timeout", "5");

        assertEquals(1, send.exitCode(), send::toString);
        assertEquals(1, send.errLines().size(), send::toString);
        assertTrue(send.err().startsWith("shmring send: refusing " + ring +
            ": other users have access to it (owner="), send::toString);
        assertTrue(send.err().contains(" mode=0666); expected: owned by uid " + FileAccess.effectiveUid() + ", mode 0600"),
            send::toString);
        assertArrayEquals(before, Files.readAllBytes(ring), "the line was not written to the ring");
    }

    @Test
    void shouldRefuseToReceiveFromRingOtherUsersMayWriteWithOneLineAndExitCode1() throws IOException
    {
        RingFile.create(ring, RingConfig.spsc(4096)).close();
        Files.setAttribute(ring, "unix:mode", 0606);
        final byte[] before = Files.readAllBytes(ring);

        final Cli.Result recv = Cli.run("recv", "shm:" + ring, "--count", "1", "--timeout", "5");

        assertEquals(1, recv.exitCode(), recv::toString);
        assertEquals(List.of(), recv.outLines());
        assertEquals(1, recv.errLines().size(), recv::toString);
        assertTrue(recv.err().startsWith("shmring recv: refusing " + ring + ": other users have access"),
            recv::toString);
        assertArrayEquals(before, Files.readAllBytes(ring), "no consumer attached");
    }

    @Test
    void shouldStillInspectRingOtherUsersMayWrite() throws IOException
    {
        publishOneMessage();
        Files.setAttribute(ring, "unix:mode", 0666);

        final Cli.Result stat = Cli.run("stat", ring.toString());

        assertEquals(0, stat.exitCode(), stat::toString);
        assertEquals("", stat.err());
        assertTrue(stat.outLines().stream().anyMatch((line) -> line.matches("pending messages\\s*:?\\s*1")), stat::toString);
    }

    @Test
    void shouldInspectAnotherUsersRing() throws IOException
    {
        final String reason = FileAccess.effectiveUid() == 0 ? null :
            "needs root to give a ring to another user (uid " + FileAccess.effectiveUid() + ")";
        if (reason != null)
        {
            System.out.println("SKIPPED shouldInspectAnotherUsersRing: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        publishOneMessage();
        Files.setAttribute(ring, "unix:uid", OtherUser.ID);
        Files.setAttribute(ring, "unix:gid", OtherUser.ID);

        final Cli.Result stat = Cli.run("stat", ring.toString());
        System.setIn(new ByteArrayInputStream("mine?\n".getBytes(StandardCharsets.UTF_8)));
        final Cli.Result send = Cli.run("send", "shm:" + ring, "--timeout", "5");

        assertEquals(0, stat.exitCode(), stat::toString);
        assertTrue(stat.outLines().stream().anyMatch((line) -> line.matches("pending messages\\s*:?\\s*1")), stat::toString);
        assertEquals(1, send.exitCode(), send::toString);
        assertTrue(send.err().startsWith("shmring send: refusing " + ring + ": it belongs to another user " +
            "(owner=" + OtherUser.NAME + "(" + OtherUser.ID + ")"), send::toString);
        assertEquals(1, send.errLines().size(), send::toString);
    }

    private void publishOneMessage()
    {
        try (RingFile file = RingFile.create(ring, RingConfig.spsc(4096)); SpscProducer producer = new SpscProducer(file))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        }
    }
}
