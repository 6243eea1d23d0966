package io.shmring.core.internal.stream;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.RawSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code tcp:} subscriber with {@code maxMessageLength=256m} in a child JVM allowed
 * {@value #DIRECT_MEMORY} of direct memory serves many idle connections, a connection whose header
 * announces 256 MiB and sends 1,000 bytes, and one 4 MiB frame, without running out of memory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleConnectionMemoryTest
{
    private static final String DIRECT_MEMORY = "32m";
    private static final int IDLE_CONNECTIONS = 16;
    private static final int LARGE_PAYLOAD = 4 * 1024 * 1024;
    private static final int ANNOUNCED = 8 + StreamParameters.MAX_MAX_MESSAGE_LENGTH;
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(30);

    @TempDir
    Path directory;

    @Test
    void shouldServeIdleConnectionsAndHugeHeadersWithinASmallDirectMemoryLimit() throws Exception
    {
        final Path stderr = directory.resolve("child.err");
        final ProcessBuilder builder = ChildJvm.builder(StreamPeerMain.class,
            List.of("-XX:MaxDirectMemorySize=" + DIRECT_MEMORY, "-XX:-UsePerfData"),
            List.of("subscribe", "tcp://127.0.0.1:0?maxMessageLength=256m"));
        builder.redirectError(stderr.toFile());
        final List<SocketChannel> connections = new ArrayList<>();
        try (ChildProcess child = ChildProcess.start(builder))
        {
            final String ready = child.awaitLine("ready", WAIT_MS);
            final int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
            for (int i = 0; i < IDLE_CONNECTIONS; i++)
            {
                connections.add(RawSocketPeer.connectTcp(port));
            }
            final SocketChannel announcer = RawSocketPeer.connectTcp(port);
            connections.add(announcer);
            write(announcer, ByteBuffer.allocate(8 + 1000).order(ByteOrder.LITTLE_ENDIAN).putInt(ANNOUNCED).putInt(7));
            final SocketChannel large = RawSocketPeer.connectTcp(port);
            connections.add(large);
            final ByteBuffer frame = ByteBuffer.allocate(8 + LARGE_PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
            write(large, frame.putInt(8 + LARGE_PAYLOAD).putInt(5));
            for (int i = 0; i < IDLE_CONNECTIONS; i++)
            {
                write(connections.get(i), ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(16).putInt(1).putLong(i));
            }
            child.awaitLineCount("frame 1 8", IDLE_CONNECTIONS, WAIT_MS);
            child.awaitLineCount("frame 5 " + LARGE_PAYLOAD, 1, WAIT_MS);

            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
            child.awaitLineCount("end", 1, WAIT_MS);
            child.process().getOutputStream().close();
            final int exit = child.awaitExit(WAIT_MS);
            final String log = Files.readString(stderr);
            assertFalse(log.contains("OutOfMemoryError"), log);
            assertEquals(0, exit, log);
            assertTrue(child.lines().stream().anyMatch((line) -> line.startsWith("failed ") &&
                line.contains("missing=" + (ANNOUNCED - 1008))), "the announcer's cut frame is reported: " + child.lines());
        }
        finally
        {
            for (final SocketChannel channel : connections)
            {
                channel.close();
            }
        }
    }

    private static void write(final SocketChannel channel, final ByteBuffer bytes) throws Exception
    {
        bytes.clear();
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }
}
