package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.internal.ChildJvm;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM writes two frames and the start of a third to a {@code uds:}, a {@code tcp:}, a
 * {@code fifo:} subscriber and its own stdout ({@link Pipes#fromChild}), and is killed with SIGKILL in the
 * middle of that frame: each subscriber delivers both frames, then fails naming the 88 bytes missing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KilledPublisherTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path directory;

    @Test
    void shouldDeliverCompleteFramesThenNameMissingBytesWhenPublisherIsKilledMidFrame() throws Exception
    {
        final Path socket = directory.resolve("killed.sock");
        final Path fifo = directory.resolve("killed.fifo");
        try (Subscriber uds = Transports.subscriber("uds:" + socket);
             Subscriber tcp = Transports.subscriber("tcp://127.0.0.1:0");
             Subscriber named = Transports.subscriber("fifo:" + fifo))
        {
            final int port = ((InetSocketAddress)((SocketSubscriber)tcp).localAddress()).getPort();
            final Process child = ChildJvm.builder(StreamPeerMain.class, "vanish", socket.toString(), Integer.toString(port),
                fifo.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            try (Subscriber pipe = Pipes.fromChild(child, 4096))
            {
                final BufferedReader stderr = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
                String line = stderr.readLine();
                while (line != null && !line.equals("ready"))
                {
                    line = stderr.readLine(); // anything the JVM says before
                }
                assertEquals("ready", line, "the child wrote everything");
                child.toHandle().destroyForcibly(); // SIGKILL (Process.destroyForcibly would also close our ends of its pipes)
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                for (final Map.Entry<String, Subscriber> entry : Map.of("uds", uds, "tcp", tcp, "fifo", named, "pipe", pipe).entrySet())
                {
                    final List<Long> delivered = new ArrayList<>();
                    final RuntimeException failure = receiveUntilFailure(entry.getValue(), delivered);
                    assertEquals(List.of(1000L, 1001L), delivered, entry.getKey() + ": the complete frames, then " + failure);
                    assertTrue(failure instanceof FrameStreamException, entry.getKey() + ": " + failure);
                    assertTrue(failure.getMessage().contains("frameLength=108 received=20 missing=88"),
                        entry.getKey() + ": " + failure.getMessage());
                }
            }
            finally
            {
                child.destroyForcibly();
            }
        }
    }

    private static RuntimeException receiveUntilFailure(final Subscriber subscriber, final List<Long> delivered)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                subscriber.take((typeId, buffer, offset, length) -> delivered.add(buffer.getLong(offset)), 16, 100,
                    TimeUnit.MILLISECONDS);
            }
            catch (final RuntimeException ex)
            {
                return ex;
            }
            if (subscriber instanceof SocketSubscriber && ((SocketSubscriber)subscriber).lastPeerFailure() != null)
            {
                return ((SocketSubscriber)subscriber).lastPeerFailure(); // a socket subscriber drops the connection, going on
            }
        }
        throw new AssertionError("no failure within 30 s after the publisher was killed; delivered " + delivered);
    }
}
