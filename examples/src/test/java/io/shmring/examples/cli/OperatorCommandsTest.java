package io.shmring.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.OtherUser;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The operator's commands ({@code list}, {@code stat} on many rings, {@code stat --watch}, {@code clean}) against rings
 * real child JVMs hold, left behind by {@code kill -9}, or never used, in a directory of their own.
 */
class OperatorCommandsTest
{
    /** Only a hang takes this long (child JVM start on a loaded machine included). */
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(60);

    private final List<Process> children = new ArrayList<>();
    private Path directory;

    @BeforeEach
    void makeDirectory() throws IOException
    {
        directory = Cli.shmDirectory("cli-operator");
    }

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final Process child : children)
        {
            child.destroyForcibly().waitFor();
        }
        Cli.deleteTree(directory);
    }

    @Test
    void shouldListRingsMarkStaleOnesAndCleanOnlyWhatNoLiveProcessHolds() throws Exception
    {
        final Path live = directory.resolve("live");
        final Path staleEmpty = directory.resolve("stale-empty");
        final Path staleUnread = directory.resolve("stale-unread");
        final Path idle = directory.resolve("idle");
        startConsumer(live);
        startConsumer(staleEmpty).destroyForcibly().waitFor(); // SIGKILL: the consumer's role stays held by a dead pid
        startConsumer(staleUnread).destroyForcibly().waitFor();
        try (RingFile ring = RingFile.open(staleUnread);
             SpscProducer producer = new SpscProducer(ring))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        }
        RingFile.create(idle, RingConfig.spsc(4096)).close();
        Files.writeString(directory.resolve("not-a-ring"), "hello");
        Files.createDirectory(directory.resolve("a-directory"));
        assertEquals(0, new ProcessBuilder("mkfifo", directory.resolve("a-fifo").toString()).start().waitFor());

        final Cli.Result list = Cli.run("list", directory.toString());
        assertEquals(0, list.exitCode(), list::toString);
        assertEquals(5, list.outLines().size(), "a heading and the four rings, nothing else:\n" + list);
        assertTrue(line(list, live).contains(" SPSC v2 "), "KIND shows the layout version: " + list);
        assertTrue(line(list, live).contains(" alive"), list::toString);
        assertFalse(line(list, live).contains("stale"), list::toString);
        assertTrue(line(list, staleEmpty).endsWith(", stale"), list::toString);
        assertTrue(line(list, staleUnread).contains("dead") && line(list, staleUnread).endsWith(", stale"), list::toString);
        assertFalse(line(list, idle).contains("stale"), "never used is not stale:\n" + list);

        final Map<String, Map<String, String>> json = jsonByPath(Cli.run("list", "--json", directory.toString()));
        assertEquals(4, json.size(), json::toString);
        assertEquals("true", json.get(live.toString()).get("inUse"));
        assertEquals("true", json.get(staleEmpty.toString()).get("stale"));
        assertEquals("2", json.get(staleUnread.toString()).get("pendingMessages"));
        assertEquals("false", json.get(idle.toString()).get("inUse"));

        final byte[] liveBefore = Files.readAllBytes(staleUnread);
        final Cli.Result dryRun = Cli.run("clean", "--dry-run", directory.toString());
        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertTrue(Files.exists(staleEmpty) && Files.exists(idle), "a dry run deletes nothing:\n" + dryRun);
        assertTrue(dryRun.out().contains("would delete " + staleEmpty), dryRun::toString);
        assertArrayEquals(liveBefore, Files.readAllBytes(staleUnread), "a dry run writes nothing");

        final Cli.Result clean = Cli.run("clean", directory.toString());
        assertEquals(0, clean.exitCode(), clean::toString);
        assertFalse(Files.exists(staleEmpty), clean::toString);
        assertFalse(Files.exists(idle), clean::toString);
        assertTrue(Files.exists(live), "a ring with a live consumer is never touched:\n" + clean);
        assertTrue(Files.exists(staleUnread), "unread messages are kept without --force:\n" + clean);
        assertTrue(clean.out().contains("kept     " + staleUnread + " (2 unread messages, 32 bytes; --force deletes it)"),
            clean::toString);

        final Cli.Result force = Cli.run("clean", "--force", directory.toString());
        assertEquals(0, force.exitCode(), force::toString);
        assertFalse(Files.exists(staleUnread), force::toString);
        assertTrue(force.out().contains("deleted  " + staleUnread + " (lost 2 unread messages, 32 bytes)"), force::toString);
        assertTrue(Files.exists(live), "not even --force touches a ring with a live party:\n" + force);
        assertTrue(force.out().contains("kept     " + live + " (in use by a live process)"), force::toString);
    }

    /**
     * Broadcast rings: a consumer SIGKILLed before the producer published two messages owes them (its slot reads behind
     * the tail), one SIGKILLed with nothing published owes nothing, and one recv still taps a third ring. {@code list}
     * and {@code stat --json} show the consumer table; {@code clean} keeps the ring with unread messages until
     * {@code --force}, deletes the caught-up stale one, and never touches the tapped one.
     */
    @Test
    void shouldListStatAndCleanBroadcastRingsByTheirConsumerSlots() throws Exception
    {
        final Path live = directory.resolve("bc-live");
        final Path staleUnread = directory.resolve("bc-stale-unread");
        final Path staleRead = directory.resolve("bc-stale-read");
        for (final Path path : List.of(live, staleUnread, staleRead))
        {
            RingFile.create(path, RingConfig.broadcast(64 * 1024, BroadcastConfig.lossless(4))).close();
        }
        startBroadcastConsumer(live);
        startBroadcastConsumer(staleRead).destroyForcibly().waitFor(); // SIGKILL: its slot stays held by a dead pid
        final long deadPid = startBroadcastConsumer(staleUnread).pid();
        children.get(children.size() - 1).destroyForcibly().waitFor();
        try (RingFile ring = RingFile.open(staleUnread);
             BroadcastProducer producer = new BroadcastProducer(ring))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        }

        final Cli.Result list = Cli.run("list", directory.toString());
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(line(list, live).contains("1 live, 0 dead") && !line(list, live).contains("stale"), list::toString);
        assertTrue(line(list, staleUnread).contains("0 live, 1 dead") && line(list, staleUnread).endsWith(", stale"),
            list::toString);
        assertTrue(line(list, staleRead).endsWith(", stale"), list::toString);

        final Cli.Result stat = Cli.run("stat", "--json", staleUnread.toString());
        assertEquals(0, stat.exitCode(), stat::toString);
        final Map<String, String> fields = fields(new JsonFactory(), stat.outLines().get(0));
        assertEquals("LOSSLESS", fields.get("policy"), stat::toString);
        assertEquals("4", fields.get("consumerSlots"), stat::toString);
        assertEquals("32", fields.get("lagBytes"), "two 8-byte messages, 16 bytes a frame: " + stat);
        assertTrue(stat.out().contains("\"consumers\":[{\"liveness\":\"DEAD\",\"pid\":" + deadPid + ","), stat::toString);
        assertEquals("true", fields.get("stale"), stat::toString);

        final Cli.Result clean = Cli.run("clean", directory.toString());
        assertEquals(0, clean.exitCode(), clean::toString);
        assertFalse(Files.exists(staleRead), "a dead consumer that had read everything owes nothing:\n" + clean);
        assertTrue(Files.exists(staleUnread), clean::toString);
        assertTrue(clean.out().contains("kept     " + staleUnread + " (consumer slot 0 (pid " + deadPid +
            ") 32 unread bytes; --force deletes it)"), clean::toString);
        assertTrue(Files.exists(live), clean::toString);

        final Cli.Result force = Cli.run("clean", "--force", directory.toString());
        assertEquals(0, force.exitCode(), force::toString);
        assertFalse(Files.exists(staleUnread), force::toString);
        assertTrue(force.out().contains("deleted  " + staleUnread + " (lost consumer slot 0 (pid " + deadPid +
            ") 32 unread bytes)"), force::toString);
        assertTrue(force.out().contains("kept     " + live + " (in use by a live process)"), force::toString);
    }

    /**
     * The counters in the ring file (LAYOUT 2.4) across processes: this JVM publishes three messages, a recv child JVM
     * consumes them, and {@code stat --json} (reading only) shows both ends' exact counts. The child stores its count
     * after the poll batch that printed the lines, so the test waits (bounded) for that value in shared memory.
     */
    @Test
    void shouldShowBothEndsCountersFromTheRingFileInStatJson() throws Exception
    {
        final Path path = directory.resolve("counted");
        RingFile.create(path, RingConfig.spsc(64 * 1024)).close();
        try (ChildProcess recv = ChildProcess.start(ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
                 List.of("recv", "shm:" + path)));
             RingFile ring = RingFile.open(path);
             SpscProducer producer = new SpscProducer(ring))
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            for (final String text : List.of("one", "two", "three"))
            {
                final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                assertTrue(producer.offer(1, new UnsafeBuffer(bytes), 0, bytes.length));
            }
            recv.awaitLine("three", WAIT_MS);
            while (ring.counters().messagesConsumed() < 3)
            {
                assertTrue(System.nanoTime() - deadline < 0, () -> "the consumer's count stayed at " + ring.counters());
                Thread.sleep(10);
            }
            final Cli.Result stat = Cli.run("stat", "--json", path.toString());
            assertEquals(0, stat.exitCode(), stat::toString);
            final Map<String, String> fields = fields(new JsonFactory(), stat.outLines().get(0));
            assertEquals("3", fields.get("messagesPublished"), stat::toString);
            assertEquals("11", fields.get("bytesPublished"), stat::toString);
            assertEquals("3", fields.get("messagesConsumed"), stat::toString);
            assertEquals("11", fields.get("bytesConsumed"), stat::toString);
            assertEquals("0", fields.get("fullEvents"), stat::toString);
            final Cli.Result text = Cli.run("stat", path.toString());
            assertTrue(text.out().contains("published          3 messages, 11 B"), text::toString);
            assertTrue(text.out().contains("consumed           3 messages, 11 B"), text::toString);
        }
    }

    /**
     * A child {@code recv} sleeps on an MPSC ring (wait=futex); this test's MPSC producer publishes while it sleeps (the not-empty
     * waiter count in shared memory says so) until one publication made a wake call. {@code stat --json} then shows at
     * least the producer's wake calls (the consumer's own may add to them).
     */
    @Test
    void shouldShowTheWakeCallsOfAnMpscProducerWakingASleepingConsumer() throws Exception
    {
        final Path path = directory.resolve("mpsc-woken");
        try (ChildProcess recv = ChildProcess.start(ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
            List.of("recv", "shm:" + path + "?kind=mpsc&wait=futex"))))
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (!Cli.isHeld(path, RingFile::consumerStatus))
            {
                assertTrue(recv.process().isAlive() && System.nanoTime() - deadline < 0, "recv did not attach to " + path);
                Thread.sleep(20);
            }
            try (RingFile ring = RingFile.open(path);
                 MpscProducer producer = new MpscProducer(ring))
            {
                for (int sent = 0; producer.wakeups().wakeCalls() == 0; sent++) // bounded by the deadline below
                {
                    while (producer.wakeups().notEmpty().waiters() == 0)
                    {
                        assertTrue(System.nanoTime() - deadline < 0, "recv never slept");
                        Thread.sleep(1);
                    }
                    final byte[] bytes = ("m" + sent).getBytes(StandardCharsets.UTF_8);
                    assertTrue(producer.offer(1, new UnsafeBuffer(bytes), 0, bytes.length));
                    recv.awaitLine("m" + sent, WAIT_MS);
                }
                final Cli.Result stat = Cli.run("stat", "--json", path.toString());
                assertEquals(0, stat.exitCode(), stat::toString);
                final long counted = Long.parseLong(fields(new JsonFactory(), stat.outLines().get(0)).get("wakeCalls"));
                assertTrue(counted >= producer.wakeups().wakeCalls(), "wakeCalls " + counted + " < the producer's " +
                    producer.wakeups().wakeCalls() + ":\n" + stat);
                System.out.println("stat wakeCalls on a sleeping MPSC consumer: " + counted);
            }
        }
    }

    @Test
    void shouldStatManyRingsByPathGlobAndUriAndNameWhatIsNotARing() throws Exception
    {
        RingFile.create(directory.resolve("md-1"), RingConfig.spsc(4096)).close();
        RingFile.create(directory.resolve("md-2"), RingConfig.mpsc(4096)).close();
        Files.createDirectory(directory.resolve("md-dir"));

        final Cli.Result result = Cli.run("stat", directory.resolve("md-[12]").toString(),
            "shm:" + directory.resolve("md-1") + "?kind=spsc", directory.resolve("md-dir").toString());

        assertEquals(1, result.exitCode(), "one target was not a ring:\n" + result);
        assertEquals(3, count(result.out(), "\nkind "), result::toString);
        assertEquals(List.of("shmring stat: not a ring file: it is a directory: path=" + directory.resolve("md-dir")),
            result.errLines(), result::toString);
        assertEquals(1, Cli.run("stat", directory.resolve("nothing-*").toString()).exitCode());
    }

    @Test
    void shouldPrintUsageAndExit2WithoutACommand()
    {
        final Cli.Result result = Cli.run();
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("Usage: shmring"), result::toString);
        assertEquals("", result.out(), "usage goes to stderr, as for any usage error");
    }

    /**
     * {@code stat --watch --json} in a child JVM on a ring this test publishes into: the first refresh after the producer
     * position moved must show a non-zero publish rate. The test publishes only after it has read a refresh, so no
     * scheduling decides the outcome: the refresh that first sees the new position has a predecessor that did not.
     */
    @Test
    void shouldShowNonZeroRatesUnderWatchOnceAProducerPublishes() throws Exception
    {
        final Path path = directory.resolve("watched");
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(64 * 1024));
             SpscProducer producer = new SpscProducer(ring);
             ChildProcess watch = ChildProcess.start(ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
                 List.of("stat", "--watch", "0.05", "--json", path.toString()))))
        {
            final JsonFactory factory = new JsonFactory();
            int read = 0;
            final long startPosition = position(factory, awaitLine(watch, read++));
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[56]), 0, 56));
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (true)
            {
                final String line = awaitLine(watch, read++);
                if (position(factory, line) > startPosition)
                {
                    final Map<String, String> fields = fields(factory, line);
                    assertTrue(Double.parseDouble(fields.get("publishedBytesPerSecond")) > 0, line);
                    assertEquals("0.0", fields.get("consumedBytesPerSecond"), "nobody consumed: " + line);
                    break;
                }
                if (System.nanoTime() - deadline > 0)
                {
                    fail("no refresh saw the producer position move past " + startPosition + ": " + line);
                }
            }
        }
    }

    /**
     * {@code stat --watch --json} in a child JVM on a broadcast ring: once two consumers of this test have polled what
     * the producer published after a refresh, a later refresh shows the deliveries in the counters and a non-zero
     * consumed rate. As above, the test acts only after reading a refresh, so no scheduling decides the outcome.
     */
    @Test
    void shouldShowBroadcastDeliveriesAndTheirRateUnderWatch() throws Exception
    {
        final Path path = directory.resolve("watched-broadcast");
        try (RingFile ring = RingFile.create(path, RingConfig.broadcast(64 * 1024, BroadcastConfig.lossless(4)));
             BroadcastProducer producer = new BroadcastProducer(ring);
             BroadcastConsumer first = new BroadcastConsumer(ring);
             BroadcastConsumer second = new BroadcastConsumer(ring);
             ChildProcess watch = ChildProcess.start(ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
                 List.of("stat", "--watch", "0.05", "--json", path.toString()))))
        {
            final JsonFactory factory = new JsonFactory();
            assertEquals("0", fields(factory, awaitLine(watch, 0)).get("messagesConsumed"));
            for (int i = 0; i < 3; i++)
            {
                assertTrue(producer.offer(1, new UnsafeBuffer(new byte[12]), 0, 12));
            }
            assertEquals(3, first.poll((t, b, o, l) -> { }, 10));
            assertEquals(3, second.poll((t, b, o, l) -> { }, 10));
            // lines printed now may have been read during the polls; the one after the next began after them
            final int settled = watch.lines().size() + 1;
            final Map<String, String> after = fields(factory, awaitLine(watch, settled));
            assertEquals("6", after.get("messagesConsumed"), after::toString);
            assertEquals("72", after.get("bytesConsumed"), after::toString);
            assertEquals("36", after.get("deliveredBytes"), "the first consumer's: " + after);
            long before = 0;
            for (int index = 1; index <= settled; index++) // the count rose from 0 to 6 on some of these lines
            {
                final Map<String, String> fields = fields(factory, awaitLine(watch, index));
                final long consumed = Long.parseLong(fields.get("messagesConsumed"));
                if (consumed > before)
                {
                    assertTrue(Double.parseDouble(fields.get("consumedMessagesPerSecond")) > 0, fields::toString);
                }
                before = consumed;
            }
        }
    }

    /**
     * A monitoring user with read permission alone (another account, through {@code runuser}) can {@code stat} and
     * {@code list} a ring it cannot write, and {@code clean} fails loudly instead of pretending.
     */
    @Test
    void shouldInspectWithReadPermissionAlone() throws Exception
    {
        final String unavailable = OtherUser.unavailableReason();
        if (unavailable != null)
        {
            System.out.println("SKIPPED shouldInspectWithReadPermissionAlone: " + unavailable);
            return;
        }
        final Path path = directory.resolve("readable");
        Files.setAttribute(directory, "unix:mode", 0755);
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(4096));
             SpscProducer producer = new SpscProducer(ring);
             OtherUser other = OtherUser.prepare())
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            Files.setAttribute(path, "unix:mode", 0644);
            final long tail = ring.producerPosition();

            final Process stat = other.builder(ShmringCommand.class, "stat", path.toString()).start();
            final String statOut = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stat.waitFor(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(0, stat.exitValue(), statOut);
            assertTrue(statOut.contains("pending messages   1"), statOut);

            final Process list = other.builder(ShmringCommand.class, "list", directory.toString()).start();
            final String listOut = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.waitFor(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(0, list.exitValue(), listOut);
            assertTrue(listOut.contains(path.toString()), listOut);

            final Process clean = other.builder(ShmringCommand.class, "clean", "--force", directory.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
            final String cleanErr = new String(clean.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(clean.waitFor(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(Files.exists(path), "a live producer's ring survives anyone's clean");
            assertEquals(tail, ring.producerPosition(), "the message is still there");
            assertEquals(0, ring.consumerPosition(), "nobody consumed it");
            System.out.println("clean as another user: exit " + clean.exitValue() + ", stderr: " + cleanErr.trim());
        }
    }

    private Process startConsumer(final Path path) throws Exception
    {
        return startRecv(path, "shm:" + path, () -> Cli.isHeld(path, RingFile::consumerStatus));
    }

    /** A recv tapping a broadcast ring, returned once it holds slot 0. */
    private Process startBroadcastConsumer(final Path path) throws Exception
    {
        return startRecv(path, "shm:" + path + "?kind=broadcast&policy=lossless&consumers=4", () -> slotHeld(path));
    }

    private Process startRecv(final Path path, final String uri, final BooleanSupplier attached) throws Exception
    {
        final Process child = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"), List.of("recv", uri))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(child);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!attached.getAsBoolean())
        {
            assertTrue(child.isAlive(), () -> "recv exited: " + child.exitValue());
            if (System.nanoTime() - deadline > 0)
            {
                fail("recv did not attach to " + path + " within " + WAIT_MS + " ms");
            }
            Thread.sleep(20);
        }
        return child;
    }

    /**
     * @return true once a consumer has joined slot 0: it holds the slot and reads (a position), so a kill from now on
     *         leaves a dead consumer that owes what is published next. Holding the slot alone is not enough: it checks the
     *         ring before it stores its position.
     */
    private static boolean slotHeld(final Path path)
    {
        try (RingFile ring = RingFile.openReadOnly(path))
        {
            final BroadcastSlotStatus slot = ring.consumerSlotStatus(0);
            return slot.party().isHeld() && slot.isReading();
        }
    }

    private static String awaitLine(final ChildProcess child, final int index) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (child.lines().size() <= index)
        {
            if (!child.process().isAlive() || System.nanoTime() - deadline > 0)
            {
                fail("stat --watch printed " + child.lines().size() + " lines, alive=" + child.process().isAlive());
            }
            Thread.sleep(10);
        }
        return child.lines().get(index);
    }

    private static long position(final JsonFactory factory, final String line) throws IOException
    {
        return Long.parseLong(fields(factory, line).get("producerPosition"));
    }

    /**
     * @return every scalar field of a JSON object, flattened by its own name (nested objects' fields too; later wins).
     */
    private static Map<String, String> fields(final JsonFactory factory, final String line) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = factory.createParser(line))
        {
            String name = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken())
            {
                if (token == JsonToken.FIELD_NAME)
                {
                    name = parser.currentName();
                }
                else if (token.isScalarValue() && name != null && parser.getParsingContext().getParent().inRoot())
                {
                    fields.put(name, parser.getValueAsString(parser.getText()));
                }
                else if (token.isScalarValue() && name != null && !fields.containsKey(name))
                {
                    fields.put(name, parser.getValueAsString(parser.getText()));
                }
            }
        }
        return fields;
    }

    private static Map<String, Map<String, String>> jsonByPath(final Cli.Result result) throws IOException
    {
        assertEquals(0, result.exitCode(), result::toString);
        final JsonFactory factory = new JsonFactory();
        final Map<String, Map<String, String>> byPath = new HashMap<>();
        for (final String line : result.outLines())
        {
            final Map<String, String> fields = fields(factory, line);
            byPath.put(fields.get("path"), fields);
        }
        return byPath;
    }

    private static String line(final Cli.Result result, final Path path)
    {
        return result.outLines().stream().filter(l -> l.startsWith(path + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no line for " + path + ":\n" + result));
    }

    private static int count(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            count++;
        }
        return count;
    }
}
