package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.RawSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shmring recv} on {@code tcp:} as the issue's breaker ran it: beside a good publisher, a peer announcing a
 * frame of 0x7FFFFFFF bytes and three peers each sending 48 MiB of a 256 MiB frame to a JVM with 128 MiB of direct
 * memory. The bad peers are dropped, each with one line on stderr (no stack trace, no OutOfMemoryError), and the
 * good publisher's frames, before and after, are printed; recv exits 0. And recv's stream ends only when a
 * publisher closes: not when a peer connects and closes, reads the hello and closes, or is dropped.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RecvHostilePeersTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);
    private static final int MAX_MESSAGE = 256 * 1024 * 1024;
    private static final int SENT_OF_LARGE_FRAME = 48 * 1024 * 1024;

    @Test
    void shouldDropHostileAndMemoryHungryPeersWithOneLineEachAndPrintEveryGoodFrame() throws Exception
    {
        final int port = freeTcpPort();
        final Process recv = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m", "-XX:MaxDirectMemorySize=128m"),
            List.of("recv", "tcp://127.0.0.1:" + port + "?maxMessageLength=256m", "--count", "2", "--timeout", "120"))
            .redirectError(ProcessBuilder.Redirect.PIPE).start();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> errReader = CompletableFuture.runAsync(() -> readLines(recv, stderr));
        final List<SocketChannel> peers = new ArrayList<>();
        try
        {
            final SocketChannel good = connectWhenListening(port, RawSocketPeer::connectTcp);
            peers.add(good);
            write(good, frame("before".getBytes(StandardCharsets.UTF_8)));

            final SocketChannel hostile = RawSocketPeer.connectTcp(port);
            peers.add(hostile);
            write(hostile, header(0x7FFFFFFF));

            final List<CompletableFuture<Void>> hungry = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final SocketChannel peer = RawSocketPeer.connectTcp(port);
                peers.add(peer);
                hungry.add(CompletableFuture.runAsync(() -> sendPartOfLargeFrame(peer)));
            }
            awaitLine(stderr, "frameLength=2147483647");
            awaitLine(stderr, "out of direct memory");

            write(good, frame("after".getBytes(StandardCharsets.UTF_8)));
            assertTrue(recv.waitFor(DEADLINE_NS, TimeUnit.NANOSECONDS), "recv ended: " + stderr);
            errReader.get(30, TimeUnit.SECONDS);
            final String stdout = new String(recv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("RecvHostilePeersTest: exit " + recv.exitValue() + ", stderr:\n" + String.join("\n", stderr));
            assertEquals(0, recv.exitValue(), String.join("\n", stderr));
            assertEquals("before\nafter\n", stdout, "every frame of the good publisher");
            for (final String line : stderr)
            {
                assertTrue(line.startsWith("shmring: warning: ") && line.contains("dropped publisher #") &&
                    !line.contains("OutOfMemoryError"), "one line per dropped peer, nothing else: " + line);
            }
            assertTrue(stderr.size() >= 2 && stderr.size() <= 4, "the hostile peer and one to three hungry ones: " + stderr);
            for (final CompletableFuture<Void> writer : hungry)
            {
                writer.handle((ok, failure) -> null).get(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            recv.destroyForcibly();
            for (final SocketChannel peer : peers)
            {
                peer.close();
            }
        }
    }

    @Test
    void shouldEndOnlyWhenThePublisherClosesNotWhenPeersCloseOrAreDropped() throws Exception
    {
        final int port = freeTcpPort();
        final Process recv = ChildJvm.builder(ShmringCommand.class, List.of(),
            List.of("recv", "tcp://127.0.0.1:" + port, "--timeout", "120")).redirectError(ProcessBuilder.Redirect.PIPE).start();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> errReader = CompletableFuture.runAsync(() -> readLines(recv, stderr));
        try
        {
            connectWhenListening(port, RecvHostilePeersTest::connectRaw).close(); // no hello read or sent
            awaitLines(recv, stderr, 1);
            final SocketChannel readHelloOnly = connectRaw(port);
            assertEquals(RawSocketPeer.ACCEPTED, RawSocketPeer.readHelloStatus(readHelloOnly));
            readHelloOnly.close();
            awaitLines(recv, stderr, 2);
            final SocketChannel hostile = RawSocketPeer.connectTcp(port);
            write(hostile, header(0x7FFFFFFF));
            hostile.close();
            awaitLines(recv, stderr, 3);
            try (SocketChannel good = RawSocketPeer.connectTcp(port))
            {
                write(good, frame("one".getBytes(StandardCharsets.UTF_8)));
                write(good, frame("two".getBytes(StandardCharsets.UTF_8)));
            }
            assertTrue(recv.waitFor(DEADLINE_NS, TimeUnit.NANOSECONDS), "recv ended: " + stderr);
            errReader.get(30, TimeUnit.SECONDS);
            final String stdout = new String(recv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("RecvHostilePeersTest end of stream: exit " + recv.exitValue() + ", stderr:\n" +
                String.join("\n", stderr));
            assertEquals(0, recv.exitValue(), String.join("\n", stderr));
            assertEquals("one\ntwo\n", stdout, "the publisher's frames, then the end of its stream");
            assertEquals(3, stderr.size(), "one line per dropped or refused peer: " + stderr);
            assertTrue(stderr.stream().allMatch((line) -> line.startsWith("shmring: warning: ")), String.valueOf(stderr));
        }
        finally
        {
            recv.destroyForcibly();
        }
    }

    /**
     * Wait for {@code count} lines on recv's stderr; fail at once if recv ends first.
     */
    private static void awaitLines(final Process recv, final List<String> lines, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (lines.size() < count)
        {
            assertTrue(recv.isAlive(), "recv ended (exit " + (recv.isAlive() ? "" : recv.exitValue()) + ") after " +
                lines.size() + " stderr lines: " + lines);
            assertTrue(System.nanoTime() - deadline < 0, "no line " + count + " on recv's stderr: " + lines);
            Thread.sleep(20);
        }
    }

    private static SocketChannel connectRaw(final int port) throws IOException
    {
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    }

    private static void sendPartOfLargeFrame(final SocketChannel peer)
    {
        try
        {
            write(peer, header(MAX_MESSAGE + 8));
            final ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
            for (int sent = 0; sent < SENT_OF_LARGE_FRAME; sent += chunk.capacity())
            {
                write(peer, chunk.clear());
            }
        }
        catch (final IOException ex)
        {
            // dropped by the subscriber while writing: its connection was closed
        }
    }

    private static void awaitLine(final List<String> lines, final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (System.nanoTime() - deadline < 0)
        {
            for (final String line : lines)
            {
                if (line.contains(text))
                {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with " + text + " on recv's stderr: " + lines);
    }

    private static void readLines(final Process process, final List<String> lines)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                lines.add(line);
            }
        }
        catch (final IOException ex)
        {
            lines.add("(stderr unreadable: " + ex + ")");
        }
    }

    /**
     * Opens a connection to a port.
     */
    @FunctionalInterface
    private interface Connector
    {
        SocketChannel connect(int port) throws IOException;
    }

    private static SocketChannel connectWhenListening(final int port, final Connector connector) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (true)
        {
            try
            {
                return connector.connect(port);
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                Thread.sleep(50); // recv's JVM is still starting
            }
        }
    }

    private static ByteBuffer header(final int frameLength)
    {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(frameLength).putInt(1).flip();
    }

    private static ByteBuffer frame(final byte[] payload)
    {
        return ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN).putInt(8 + payload.length).putInt(1)
            .put(payload).flip();
    }

    private static void write(final SocketChannel channel, final ByteBuffer bytes) throws IOException
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
