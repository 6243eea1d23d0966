package io.shmring.examples.cli;

import io.shmring.core.FileAccess;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.SocketSubscriber;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendRecvCommandTest
{
    private static final List<String> LINES = List.of("hello", "", "a line with spaces and ünïcödé", "last");

    /**
     * Seconds send waits for recv to attach and recv for the first line, when they run at the same time: only a
     * hang takes this long.
     */
    private static final String TIMEOUT_S = "60";

    private final List<Path> created = new ArrayList<>();
    private InputStream originalIn;

    @BeforeEach
    void saveStdin()
    {
        originalIn = System.in;
    }

    @AfterEach
    void restoreStdinAndDeleteFiles() throws IOException
    {
        System.setIn(originalIn);
        for (final Path path : created)
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldCarryLinesFromSendToRecvOverShm() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-sr"));
        final String uri = "shm:" + ring;
        final CompletableFuture<Cli.Result> recv = CompletableFuture.supplyAsync(() -> Cli.run("recv", uri, "--timeout", TIMEOUT_S));

        final Cli.Result send = send(String.join("\n", LINES) + "\n", "send", uri, "--timeout", TIMEOUT_S);

        assertEquals(0, send.exitCode(), send::toString);
        final Cli.Result received = recv.get(2 * Long.parseLong(TIMEOUT_S), TimeUnit.SECONDS);
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(LINES, received.outLines());
        assertEquals("", received.err());
        assertTrue(Files.exists(ring), "the ring outlives recv, so the next recv resumes where it stopped");
    }

    @Test
    void shouldCarryEveryLineFromSendToEachRecvTappingABroadcastRing() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-sr-broadcast"));
        final String uri = "shm:" + ring + "?kind=broadcast&policy=lossless&consumers=8";
        RingFile.create(ring, RingConfig.broadcast(64 * 1024, BroadcastConfig.lossless(8))).close();
        final List<CompletableFuture<Cli.Result>> taps = new ArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            taps.add(CompletableFuture.supplyAsync(() -> Cli.run("recv", uri, "--timeout", TIMEOUT_S)));
        }
        try (RingFile file = RingFile.open(ring, RingKind.BROADCAST))
        {
            // a tap joins at the tail: send only once both read (a handshake in the ring, bounded by a deadline)
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(TIMEOUT_S));
            while (readingConsumers(file) < 2)
            {
                assertTrue(System.nanoTime() - deadline < 0, "both recv joined within " + TIMEOUT_S + " s");
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }

        final Cli.Result send = send(String.join("\n", LINES) + "\n", "send", uri, "--timeout", TIMEOUT_S);

        assertEquals(0, send.exitCode(), send::toString);
        for (final CompletableFuture<Cli.Result> tap : taps)
        {
            final Cli.Result received = tap.get(2 * Long.parseLong(TIMEOUT_S), TimeUnit.SECONDS);
            assertEquals(0, received.exitCode(), received::toString);
            assertEquals(LINES, received.outLines());
        }
    }

    private static int readingConsumers(final RingFile file)
    {
        int reading = 0;
        for (int slot = 0; slot < file.consumerSlots(); slot++)
        {
            reading += file.consumerSlotStatus(slot).isReading() ? 1 : 0;
        }
        return reading;
    }

    @Test
    void shouldCarryLinesFromSendToRecvOverUds() throws Exception
    {
        final Path socket = track(Cli.tmpPath("cli-sr.sock"));
        final String uri = "uds:" + socket;
        final CompletableFuture<Cli.Result> recv = CompletableFuture.supplyAsync(() -> Cli.run("recv", uri, "--timeout", TIMEOUT_S));

        final Cli.Result send = send(String.join("\n", LINES) + "\n", "send", uri, "--timeout", TIMEOUT_S);

        assertEquals(0, send.exitCode(), send::toString);
        final Cli.Result received = recv.get(2 * Long.parseLong(TIMEOUT_S), TimeUnit.SECONDS);
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(LINES, received.outLines());
    }

    /**
     * Nothing listens at the port: one line, exit 1, without waiting out {@code --timeout} (a regression would wait the
     * 60 s and then report "no space or no peer", which the message check catches).
     */
    @Test
    void shouldSayConnectionRefusedAtOnceWhenNothingListensOnTheTcpPort()
    {
        final Cli.Result send = send("never sent\n", "send", "tcp://127.0.0.1:1", "--timeout", TIMEOUT_S);

        assertEquals(1, send.exitCode(), send::toString);
        assertEquals(List.of("shmring send: connection refused: nothing listens at tcp://127.0.0.1:1"), send.errLines(),
            send::toString);
    }

    /**
     * No subscriber ever came: after {@code --timeout} the error names the socket file that does not exist, not "no
     * space" (issue 13 breaker finding 4: it said "no space or no peer").
     */
    @Test
    void shouldNameTheMissingSocketFileWhenNoSubscriberCameWithinTheTimeout()
    {
        final Path socket = Cli.tmpPath("cli-sr-missing.sock");

        final Cli.Result send = send("never sent\n", "send", "uds:" + socket, "--timeout", "1");

        assertEquals(1, send.exitCode(), send::toString);
        assertEquals(List.of("shmring send: no subscriber within 1 s for line 1 (0 lines sent): uri=uds:" + socket + ": " +
            socket + " does not exist (start recv first, or wait longer with --timeout)"), send.errLines(), send::toString);
    }

    @Test
    void shouldExitNonZeroWhenTheUdsSubscriberRefusesThePublisher() throws Exception
    {
        final Path socket = track(Cli.tmpPath("cli-sr-refused.sock"));
        final long otherUid = FileAccess.effectiveUid() + 1;
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber("uds:" + socket + "?allowUid=" + otherUid))
        {
            final Cli.Result send = send("lost?\n", "send", "uds:" + socket);

            assertEquals(1, send.exitCode(), send::toString);
            assertEquals(List.of("shmring send: uds:" + socket + ": the subscriber refused this publisher: its user is not " +
                "allowed (allowUid)"), send.errLines());
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 10), "nothing was delivered");
            assertEquals(0, subscriber.acceptedPeers());
        }
    }

    @Test
    void shouldSendHexLinesAndPrintHexWithTypeIds() throws Exception
    {
        final String uri = "shm:" + track(Cli.shmPath("cli-sr-hex"));

        final Cli.Result send = send("00ff10\n68656c6c6f\n", "send", uri, "--hex", "--type-id", "42");
        final Cli.Result received = Cli.run("recv", uri, "--hex", "--type-id", "--timeout", "10");

        assertEquals(0, send.exitCode(), send::toString);
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(List.of("42\t00ff10", "42\t68656c6c6f"), received.outLines());
    }

    @Test
    void shouldStopAfterCountFrames() throws Exception
    {
        final String uri = "shm:" + track(Cli.shmPath("cli-sr-count"));

        final Cli.Result send = send("one\ntwo\nthree\nfour\n", "send", uri);
        final Cli.Result received = Cli.run("recv", uri, "--count", "2");

        assertEquals(0, send.exitCode(), send::toString);
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(List.of("one", "two"), received.outLines());
        final Cli.Result next = Cli.run("recv", uri, "--count", "2");
        assertEquals(0, next.exitCode(), next::toString);
        assertEquals(List.of("three", "four"), next.outLines(), "a restarted recv resumes where the last one stopped");
    }

    @Test
    void shouldWaitPastTheEndOfOneStreamForTheCountOfFrames() throws Exception
    {
        final String uri = "shm:" + track(Cli.shmPath("cli-sr-two-senders")) + "?kind=mpsc";
        final CompletableFuture<Cli.Result> recv = CompletableFuture.supplyAsync(() -> Cli.run("recv", uri, "--count", "4", "--timeout", "60"));
        final Cli.Result first = send("a\nb\n", "send", uri);
        assertEquals(0, first.exitCode(), first::toString);
        final Cli.Result second = send("c\nd\n", "send", uri);
        assertEquals(0, second.exitCode(), second::toString);
        final Cli.Result received = recv.get(120, TimeUnit.SECONDS);
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(List.of("a", "b", "c", "d"), received.outLines(), "the first sender's close did not end the count");
    }

    @Test
    void shouldPrintWhatIsLeftThenExitWithOneLineWhenTheRingIsRemovedAndANewSendCreatesAnother() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-sr-rm"));
        final String uri = "shm:" + ring;
        assertEquals(0, send("a\nb\n", "send", uri).exitCode());
        final CompletableFuture<Cli.Result> recv = CompletableFuture.supplyAsync(() -> Cli.run("recv", uri, "--count", "3", "--timeout", "60"));
        try (RingFile file = RingFile.open(ring))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!file.consumerStatus().isHeld() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            assertTrue(file.consumerStatus().isHeld(), "recv attached");
        }
        Files.delete(ring); // rm
        assertEquals(0, send("c\n", "send", uri).exitCode(), "a new send creates a new ring at the path");

        final Cli.Result received = recv.get(120, TimeUnit.SECONDS);
        assertEquals(1, received.exitCode(), received::toString);
        assertEquals(List.of("a", "b"), received.outLines());
        assertEquals(1, received.errLines().size(), received::toString);
        assertTrue(received.err().startsWith("shmring recv: ring file gone (deleted, or replaced by another file)"), received::toString);
        final Cli.Result next = Cli.run("recv", uri, "--count", "1", "--timeout", "60");
        assertEquals(List.of("c"), next.outLines(), "the new ring holds what was sent after the rm");
    }

    /**
     * {@code send} attaches when it starts, not at its first line (LAYOUT Appendix C): waiting on a stdin that has no line
     * yet, it holds the SPSC producer role, so a second send is refused; the end of its stdin ends the stream.
     */
    @Test
    void shouldHoldTheProducerRoleFromItsStartWhileStdinHasNoLineYet() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-sr-attach"));
        final String uri = "shm:" + ring;
        final PipedOutputStream stdin = new PipedOutputStream();
        System.setIn(new PipedInputStream(stdin));
        final CompletableFuture<Cli.Result> waiting = CompletableFuture.supplyAsync(() -> Cli.run("send", uri));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only a hang takes this long
            while (!Cli.isHeld(ring, RingFile::producerStatus))
            {
                assertTrue(System.nanoTime() - deadline < 0, "send never took the producer role");
                Thread.sleep(10);
            }
            final Cli.Result second = send("x\n", "send", uri);
            assertEquals(1, second.exitCode(), second::toString);
            assertTrue(second.err().startsWith("shmring send: SPSC producer already attached to ring"), second::toString);
        }
        finally
        {
            stdin.close(); // the end of stdin: the waiting send closes
        }
        final Cli.Result first = waiting.get(60, TimeUnit.SECONDS);
        assertEquals(0, first.exitCode(), first::toString);
        final Cli.Result stat = Cli.run("stat", ring.toString());
        assertTrue(stat.out().contains("\nproducer           none\n") && stat.out().contains("\nstream             generation 1, ended\n") &&
            stat.out().contains("\nproducer position  0\n"), "released, the stream ended, nothing sent: " + stat);
    }

    @Test
    void shouldExitWithTimeoutCodeWhenNoFrameArrives()
    {
        final Path ring = track(Cli.shmPath("cli-sr-timeout"));

        final Cli.Result received = Cli.run("recv", "shm:" + ring, "--timeout", "1");

        assertEquals(RecvCommand.EXIT_TIMEOUT, received.exitCode(), received::toString);
        assertEquals("", received.out());
        assertEquals(List.of("shmring recv: no frame within 1 s; received 0: uri=shm:" + ring), received.errLines());
    }

    /**
     * A send that gives up before its stdin ended (here a line too long; a full ring past --timeout takes the same path)
     * keeps what it sent, but ends no stream: a recv that exited 0 would tell a supervisor the stream was whole (breaker
     * 9, F1). recv delivers what was sent and then waits, here until its own timeout.
     */
    @Test
    void shouldRejectALineLongerThanTheMaxMessageKeepTheLinesBeforeItAndEndNoStream() throws Exception
    {
        final Path ring = track(Cli.shmPath("cli-sr-long"));
        final String uri = "shm:" + ring + "?capacity=64k&maxMessageLength=16";
        final String tooLong = "x".repeat(40);

        final Cli.Result send = send("short\n" + tooLong + "\nnever sent\n", "send", uri);
        final Cli.Result stat = Cli.run("stat", "--json", ring.toString());
        final Cli.Result received = Cli.run("recv", uri, "--timeout", "1");

        assertEquals(1, send.exitCode(), send::toString);
        assertEquals(List.of("shmring send: line 2 is longer than the transport's max message: length=40 " +
            "maxMessageLength=16 (1 lines sent)"), send.errLines());
        assertTrue(stat.out().contains("\"streamEnded\":false"), stat::toString);
        assertEquals(RecvCommand.EXIT_TIMEOUT, received.exitCode(), received::toString);
        assertEquals(List.of("short"), received.outLines());
    }

    @Test
    void shouldFailWithOneLineForABadUri() throws Exception
    {
        final Cli.Result noScheme = send("x\n", "send", "no-scheme-here");
        final Cli.Result unknownScheme = Cli.run("recv", "carrier-pigeon:/coop");
        final Cli.Result badParameter = Cli.run("recv", "shm:" + Cli.shmPath("cli-sr-bad") + "?capacity=1000");

        for (final Cli.Result result : List.of(noScheme, unknownScheme, badParameter))
        {
            assertEquals(1, result.exitCode(), result::toString);
            assertEquals(1, result.errLines().size(), result::toString);
            assertEquals("", result.out());
        }
        assertEquals("shmring send: transport URI needs a scheme, as in shm:/dev/shm/name: uri=no-scheme-here", noScheme.err().strip());
        assertTrue(unknownScheme.err().startsWith("shmring recv: unknown transport scheme: scheme=carrier-pigeon"), unknownScheme::toString);
        assertTrue(badParameter.err().startsWith("shmring recv: bad parameter capacity=1000: expected a power of 2"), badParameter::toString);
    }

    private static Cli.Result send(final String stdin, final String... args)
    {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return Cli.run(args);
    }

    private Path track(final Path path)
    {
        created.add(path);
        return path;
    }
}
