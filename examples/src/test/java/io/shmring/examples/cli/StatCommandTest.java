package io.shmring.examples.cli;

import io.shmring.ringbuffer.internal.LinuxHost;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.sync.internal.WakeLineDescriptor;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatCommandTest
{
    private static final long PID = ProcessHandle.current().pid();
    /** Above any Linux pid_max (at most 2^22), so never a running process. */
    private static final int NEVER_RUNNING_PID = 2_000_000_000;

    /** How long a thread of this JVM may take to reach its wait, or to wake: only a hang takes this long. */
    private static final long WAIT_S = 30;

    private final List<Path> created = new ArrayList<>();

    @AfterEach
    void deleteFiles() throws IOException
    {
        for (final Path path : created)
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldReportPositionsPendingMessagesAndLiveAttachmentsWithoutWritingTheFile() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat"));
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(64 * 1024));
            SpscProducer producer = new SpscProducer(ring);
            SpscConsumer consumer = new SpscConsumer(ring))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[20]);
            for (int i = 0; i < 5; i++)
            {
                assertTrue(producer.offer(7, payload, 0, 20));
            }
            assertEquals(2, consumer.poll((typeId, buffer, offset, length) -> { }, 2));
            final byte[] before = Files.readAllBytes(path);

            final Cli.Result result = Cli.run("stat", path.toString());

            assertEquals(0, result.exitCode(), result::toString);
            // this JVM's own producer and consumer keep beating; everything else must be untouched by stat
            assertArrayEquals(withoutHeartbeats(before), withoutHeartbeats(Files.readAllBytes(path)),
                "stat must not write to the ring file");
            final String out = result.out();
            // 20 B payload + 8 B header, aligned to 8: 32 B a frame
            assertLine(out, "kind", "SPSC (layout version 2: notifiers fence)");
            assertLine(out, "capacity", "65,536 B");
            assertLine(out, "max message", "8,192 B");
            assertLine(out, "producer position", "160");
            assertLine(out, "consumer position", "64");
            assertLine(out, "pending bytes", "96");
            assertLine(out, "pending messages", "3");
            assertTrue(value(out, "producer").startsWith("pid " + PID + " (alive), heartbeat "), out);
            assertTrue(value(out, "consumer").startsWith("pid " + PID + " (alive), heartbeat "), out);
            assertLine(out, "waiters", "not-empty 0 (sequence 0), not-full 0 (sequence 0)");
            assertLine(out, "recovered claims", "0");
            assertTrue(value(out, "created").endsWith("by pid " + PID), out);
        }
    }

    @Test
    void shouldCountConsumerSleepingOnTheNotEmptyWakeLine() throws Exception
    {
        final Path path = track(Cli.shmPath("cli-stat-wait"));
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(64 * 1024));
            SpscProducer producer = new SpscProducer(ring);
            SpscConsumer consumer = new SpscConsumer(ring))
        {
            final AtomicInteger taken = new AtomicInteger();
            final CompletableFuture<Integer> sleeper = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return consumer.take((typeId, buffer, offset, length) -> taken.incrementAndGet(), 1, 2 * WAIT_S, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            String waiters = "";
            // the take outlasts this loop: the waiter stays registered until the offer below
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!waiters.startsWith("not-empty 1 ") && System.nanoTime() - deadline < 0)
            {
                final Cli.Result result = Cli.run("stat", path.toString());
                assertEquals(0, result.exitCode(), result::toString);
                waiters = value(result.out(), "waiters");
            }
            assertTrue(waiters.startsWith("not-empty 1 (sequence "), "waiters: " + waiters);
            assertTrue(waiters.endsWith("not-full 0 (sequence 0)"), "waiters: " + waiters);

            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(1, sleeper.get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(1, taken.get());
        }
    }

    /**
     * A waiter count below 0 (written by hand or by a broken peer) is shown as the file holds it, and called impossible.
     */
    @Test
    void shouldCallANegativeWaiterCountImpossible() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat-negative-waiters"));
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(64 * 1024)))
        {
            ring.buffer().putInt(RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET, -2);
        }
        final Cli.Result result = Cli.run("stat", path.toString());
        assertEquals(0, result.exitCode(), result::toString);
        final String waiters = value(result.out(), "waiters");
        assertTrue(waiters.startsWith("not-empty -2 (sequence 0, impossible: below 0)"), "waiters: " + waiters);
        assertTrue(waiters.endsWith("not-full 0 (sequence 0)"), "waiters: " + waiters);
    }

    @Test
    void shouldListMpscProducerSlotsWithTheirLiveness() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat-mpsc"));
        try (RingFile ring = RingFile.create(path, RingConfig.mpsc(64 * 1024));
            MpscProducer producer = new MpscProducer(ring))
        {
            assertTrue(producer.offer(3, new UnsafeBuffer(new byte[100]), 0, 100));
            assertTrue(producer.offer(3, new UnsafeBuffer(new byte[100]), 0, 100));
            final int deadSlot = producer.slot() + 1;
            forgeDeadHolder(ring, deadSlot, 0, 0);

            final Cli.Result result = Cli.run("stat", path.toString());

            assertEquals(0, result.exitCode(), result::toString);
            final String out = result.out();
            assertLine(out, "kind", "MPSC (layout version 2: notifiers fence)");
            assertLine(out, "pending messages", "2");
            assertLine(out, "producer slots", "1 live, 1 dead of " + RingConfig.DEFAULT_PRODUCER_SLOTS);
            assertTrue(out.contains("slot " + producer.slot() + "    pid " + PID + " (alive), heartbeat "), out);
            // the heartbeat was set 60 s back; stat runs later by however long this machine takes, never earlier
            final Matcher dead = Pattern.compile("slot " + deadSlot + " +pid " + NEVER_RUNNING_PID +
                " \\(dead\\), heartbeat ([\\d,]+) ms ago, generation 0").matcher(out);
            assertTrue(dead.find(), out);
            assertTrue(Long.parseLong(dead.group(1).replace(",", "")) >= 60_000, out);
            freeSlot(ring, deadSlot);
        }
    }

    /**
     * Breaker 8, finding 3: an open claim at the head holds back every message behind it, and stat only said "1 claims not
     * yet committed". It now names the position, the slot and whether its holder lives (so whether the consumer waits
     * or recovers it), in text and JSON.
     */
    @Test
    void shouldSayWhichSlotsClaimBlocksTheHeadAndWhetherItsHolderLives() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat-blocked"));
        try (RingFile ring = RingFile.create(path, RingConfig.mpsc(64 * 1024));
            MpscProducer holder = new MpscProducer(ring);
            MpscProducer other = new MpscProducer(ring))
        {
            final int index = holder.tryClaim(3, 100);
            assertTrue(index >= 0);
            assertTrue(other.offer(4, new UnsafeBuffer(new byte[100]), 0, 100));

            final Cli.Result text = Cli.run("stat", path.toString());
            final Cli.Result json = Cli.run("stat", "--json", path.toString());

            assertEquals(0, text.exitCode(), text::toString);
            assertLine(text.out(), "pending messages", "1 + 1 claims not yet committed");
            final String blocked = value(text.out(), "head blocked");
            assertTrue(blocked.startsWith("at position 0 by an open claim of slot " + holder.slot() + ": pid " + PID +
                " (alive), heartbeat "), text.out());
            assertTrue(blocked.endsWith("; the consumer waits for its commit"), text.out());
            assertEquals(0, json.exitCode(), json::toString);
            assertTrue(json.out().contains("\"headBlock\":{\"position\":0,\"kind\":\"CLAIM\",\"slot\":" + holder.slot() +
                ",\"holderChanged\":false,\"consumerWaits\":true}"), json::toString);

            holder.abort(index);
            final Cli.Result unblocked = Cli.run("stat", "--json", path.toString());
            assertTrue(unblocked.out().contains("\"headBlock\":null"), unblocked::toString);
        }
    }

    /**
     * Breaker 9, F3 and F5: a claim whose slot changed hands since (a restarted producer took it back) or is free now
     * belongs to a gone owner, and the consumer recovers it; stat said the consumer waits (the slot's new holder lives),
     * or only "none". The verdict is the consumer's (LAYOUT 5.7 a step 2).
     */
    @Test
    void shouldSayTheConsumerRecoversAClaimWhoseSlotChangedHandsOrIsFree() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat-changed"));
        try (RingFile ring = RingFile.create(path, RingConfig.mpsc(64 * 1024).withProducerSlots(4));
            MpscProducer holder = new MpscProducer(ring))
        {
            final int index = holder.tryClaim(3, 100);
            assertTrue(index >= 0);
            final int owner = RingDescriptor.producerSlotOffset(holder.slot()) + ProducerSlotDescriptor.PARTY_OFFSET +
                PartyDescriptor.OWNER_OFFSET;
            final long word = ring.buffer().getLongVolatile(owner);
            // the next holder of the slot: this live process again, one generation on
            ring.buffer().putLongVolatile(owner, PartyDescriptor.ownerWord(PartyDescriptor.generation(word) + 1, (int)PID));

            final String changed = value(Cli.run("stat", path.toString()).out(), "head blocked");
            final Cli.Result changedJson = Cli.run("stat", "--json", path.toString());
            ring.buffer().putLongVolatile(owner, PartyDescriptor.ownerWord(PartyDescriptor.generation(word) + 1, 0)); // free
            final String free = value(Cli.run("stat", path.toString()).out(), "head blocked");
            ring.buffer().putLongVolatile(owner, word); // the holder's own again, for its close

            // the new holder is held (attaching: its identity words still carry the old generation's tags), yet the claim
            // is its predecessor's
            assertTrue(changed.contains("pid " + PID + " (attaching)") && changed.endsWith(", not the claim's owner (the slot " +
                "changed hands since); the consumer recovers it (LAYOUT 5.7)"), changed);
            assertTrue(changedJson.out().contains("\"holderChanged\":true,\"consumerWaits\":false}"), changedJson::toString);
            assertTrue(free.endsWith("of slot " + holder.slot() + ": none (free); the consumer recovers it (LAYOUT 5.7)"), free);
            holder.abort(index);
        }
    }

    /**
     * Breaker 8 finding 1 and breaker 9 F6: a holder in another pid namespace whose heartbeat is an hour ahead of this
     * clock (another time namespace, or an overwritten word) is alive by LAYOUT 6.1, and stat and list showed it as seen
     * "0 ms ago". Both now say how far ahead it is.
     */
    @Test
    void shouldShowAHeartbeatAheadOfThisClockAsAheadInStatAndList() throws IOException
    {
        final Path directory = Cli.shmDirectory("cli-stat-ahead");
        try (RingFile ring = RingFile.create(directory.resolve("ring"), RingConfig.mpsc(64 * 1024).withProducerSlots(4)))
        {
            final int offset = RingDescriptor.producerSlotOffset(2) + ProducerSlotDescriptor.PARTY_OFFSET;
            final LinuxHost host = LinuxHost.INSTANCE;
            ring.buffer().putLong(offset + PartyDescriptor.HEARTBEAT_OFFSET, PartyDescriptor.tagged(0, host.nowMs() + 3_600_000));
            ring.buffer().putLong(offset + PartyDescriptor.START_TICKS_OFFSET, PartyDescriptor.tagged(0, 1));
            ring.buffer().putLong(offset + PartyDescriptor.PID_NAMESPACE_OFFSET, PartyDescriptor.tagged(0, host.pidNamespace() + 1));
            ring.buffer().putLong(offset + PartyDescriptor.BOOT_ID_OFFSET, PartyDescriptor.tagged(0, host.bootId()));
            ring.buffer().putLongRelease(offset + PartyDescriptor.OWNER_OFFSET, // release: fields above first
                PartyDescriptor.ownerWord(0, NEVER_RUNNING_PID));

            final Cli.Result stat = Cli.run("stat", ring.path().toString());
            final Cli.Result json = Cli.run("stat", "--json", ring.path().toString());
            final Cli.Result list = Cli.run("list", directory.toString());

            assertEquals(0, stat.exitCode(), stat::toString);
            // the hour ahead shrinks by however long this machine takes before stat reads it: at least 3,000,000 ms
            final Matcher ahead = Pattern.compile("slot 2 +pid " + NEVER_RUNNING_PID + " \\(alive\\) in another pid namespace, " +
                "heartbeat ([\\d,]+) ms ahead of this clock").matcher(stat.out());
            assertTrue(ahead.find(), stat.out());
            assertTrue(Long.parseLong(ahead.group(1).replace(",", "")) >= 3_000_000, stat.out());
            assertTrue(Pattern.compile("\"heartbeatAheadMs\":3[0-9]{6}[,}]").matcher(json.out()).find(), json::toString);
            assertTrue(list.outLines().get(1).contains(" s ahead of this clock"), list::toString);
        }
        finally
        {
            Cli.deleteTree(directory);
        }
    }

    /**
     * The C peer's case (issue 19): the only producer of a 4-slot ring was killed, leaving reservation start 680 and end
     * 0; stat said "1 held of 4" where list said "0 live, 1 dead", and --json gave reservationStart 0.
     */
    @Test
    void shouldCountSlotsOfDeadProducersAsListDoesAndShowTheirReservationFieldsAsTheFileHoldsThem() throws IOException
    {
        final Path directory = Cli.shmDirectory("cli-stat-slots");
        try (RingFile ring = RingFile.create(directory.resolve("ring"), RingConfig.mpsc(64 * 1024).withProducerSlots(4)))
        {
            forgeDeadHolder(ring, 0, 680, 0);
            forgeDeadHolder(ring, 2, 96, ProducerSlotDescriptor.RESERVATION_REVOKED);

            final Cli.Result text = Cli.run("stat", ring.path().toString());
            final Cli.Result list = Cli.run("list", directory.toString());
            final Cli.Result json = Cli.run("stat", "--json", ring.path().toString());

            assertEquals(0, text.exitCode(), text::toString);
            assertLine(text.out(), "producer slots", "0 live, 2 dead of 4");
            assertFalse(text.out().contains("reserved"), "no range above the head: " + text.out());
            assertEquals(2, list.outLines().size(), list::toString);
            assertTrue(list.outLines().get(1).contains(" 0 live, 2 dead "), list::toString);
            assertEquals(0, json.exitCode(), json::toString);
            assertTrue(json.out().contains("\"slot\":0,\"reservationStart\":680,\"reservationEnd\":0}"), json::toString);
            assertTrue(json.out().contains("\"slot\":2,\"reservationStart\":96,\"reservationEnd\":-2}"), json::toString);
            assertTrue(json.out().contains("\"layoutVersion\":2,\"wakeProtocol\":\"FENCED\","), json::toString);
        }
        finally
        {
            Cli.deleteTree(directory);
        }
    }

    @Test
    void shouldListBroadcastConsumersWithPositionLagLivenessAndDrops() throws IOException
    {
        final Path path = track(Cli.shmPath("cli-stat-broadcast"));
        try (RingFile ring = RingFile.create(path, RingConfig.broadcast(64 * 1024, BroadcastConfig.lossless(4)));
            BroadcastProducer producer = new BroadcastProducer(ring);
            BroadcastConsumer behind = new BroadcastConsumer(ring);
            BroadcastConsumer current = new BroadcastConsumer(ring))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[20]);
            for (int i = 0; i < 5; i++)
            {
                assertTrue(producer.offer(7, payload, 0, 20));
            }
            assertEquals(2, behind.poll((typeId, buffer, offset, length) -> { }, 2));
            assertEquals(5, current.poll((typeId, buffer, offset, length) -> { }, 10));

            final Cli.Result result = Cli.run("stat", path.toString());

            assertEquals(0, result.exitCode(), result::toString);
            final String out = result.out();
            assertLine(out, "kind", "BROADCAST (layout version 2: notifiers fence)");
            assertLine(out, "producer position", "160");
            assertLine(out, "policy", "lossless, stall timeout 5,000 ms, 0 consumers dropped");
            assertLine(out, "consumer slots", "2 reading of 4");
            assertTrue(value(out, "producer").startsWith("pid " + PID + " (alive), heartbeat "), out);
            assertTrue(Pattern.compile("(?m)^  slot " + behind.slot() + " +pid " + PID + " \\(alive\\), heartbeat [0-9,]+ ms ago, " +
                "position 64, lag 96 B, delivered 2 \\(40 B\\), laps 0 \\(0 B lost\\), drops 0$").matcher(out).find(), out);
            assertTrue(Pattern.compile("(?m)^  slot " + current.slot() + " +pid " + PID + " \\(alive\\), heartbeat [0-9,]+ ms ago, " +
                "position 160, lag 0 B, delivered 5 \\(100 B\\), laps 0 \\(0 B lost\\), drops 0$").matcher(out).find(), out);
            assertLine(out, "published", "5 messages, 100 B");
            assertLine(out, "consumed", "7 messages, 140 B (deliveries, summed over the consumer slots, each since its consumer joined)");
        }
    }

    @Test
    void shouldFailWithOneLineForAFileThatIsNotARing() throws IOException
    {
        final Path text = track(Cli.tmpPath("cli-stat-text"));
        Files.writeString(text, "just some text\n");
        final Path junk = track(Cli.tmpPath("cli-stat-junk"));
        final byte[] junkBytes = new byte[16 * 1024];
        junkBytes[0] = 'X';
        Files.write(junk, junkBytes);

        final Cli.Result tooShort = Cli.run("stat", text.toString());
        final Cli.Result badMagic = Cli.run("stat", junk.toString());

        assertEquals(1, tooShort.exitCode(), tooShort::toString);
        assertEquals(List.of("shmring stat: file too short to be a ring: length=15 minimum=" +
            RingDescriptor.fileLength(RingDescriptor.MIN_CAPACITY, 0) + ": path=" + text), tooShort.errLines());
        assertEquals("", tooShort.out());
        assertEquals(1, badMagic.exitCode(), badMagic::toString);
        assertEquals(List.of("shmring stat: not a shmring file: magic=0x58: path=" + junk), badMagic.errLines());
        assertArrayEquals(junkBytes, Files.readAllBytes(junk), "stat must not write to a file it refuses");
        assertEquals("just some text\n", Files.readString(text, StandardCharsets.UTF_8));
    }

    @Test
    void shouldFailWithOneLineForAMissingFile()
    {
        final Path missing = Cli.tmpPath("cli-stat-missing");

        final Cli.Result result = Cli.run("stat", missing.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("shmring stat: no such ring file: path=" + missing), result.errLines());
    }

    @Test
    void shouldPrintTheStackTraceOnlyWithVerbose()
    {
        final Path missing = Cli.tmpPath("cli-stat-missing");

        final Cli.Result quiet = Cli.run("stat", missing.toString());
        final Cli.Result verbose = Cli.run("stat", "--verbose", missing.toString());
        final Cli.Result verboseFirst = Cli.run("--verbose", "stat", missing.toString());

        assertEquals(1, quiet.errLines().size(), quiet::toString);
        for (final Cli.Result result : List.of(verbose, verboseFirst))
        {
            assertEquals(1, result.exitCode(), result::toString);
            assertEquals(quiet.errLines().get(0), result.errLines().get(0));
            assertTrue(result.err().contains("io.shmring.core.NotFoundException: no such ring file"), result::toString);
            assertTrue(result.err().contains("\tat io.shmring.ringbuffer.RingFile.openReadOnly"), result::toString);
        }
    }

    /**
     * Make a producer slot look left behind by a process that no longer runs (a pid above any pid_max, this boot and pid
     * namespace, a heartbeat a minute old), with the reservation fields given.
     */
    private static void forgeDeadHolder(final RingFile ring, final int slot, final long reservationStart, final long reservationEnd)
    {
        final int slotOffset = RingDescriptor.producerSlotOffset(slot);
        final int offset = slotOffset + ProducerSlotDescriptor.PARTY_OFFSET;
        final LinuxHost host = LinuxHost.INSTANCE;
        ring.buffer().putLong(slotOffset + ProducerSlotDescriptor.RESERVATION_START_OFFSET, reservationStart);
        ring.buffer().putLong(slotOffset + ProducerSlotDescriptor.RESERVATION_END_OFFSET, reservationEnd);
        ring.buffer().putLong(offset + PartyDescriptor.HEARTBEAT_OFFSET, PartyDescriptor.tagged(0, host.nowMs() - 60_000));
        ring.buffer().putLong(offset + PartyDescriptor.START_TICKS_OFFSET, PartyDescriptor.tagged(0, 1));
        ring.buffer().putLong(offset + PartyDescriptor.PID_NAMESPACE_OFFSET, PartyDescriptor.tagged(0, host.pidNamespace()));
        ring.buffer().putLong(offset + PartyDescriptor.BOOT_ID_OFFSET, PartyDescriptor.tagged(0, host.bootId()));
        ring.buffer().putLongRelease(offset + PartyDescriptor.OWNER_OFFSET, // release: fields above first
            PartyDescriptor.ownerWord(0, NEVER_RUNNING_PID));
    }

    private static void freeSlot(final RingFile ring, final int slot)
    {
        ring.buffer().putLongRelease(RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.PARTY_OFFSET + // release: frees the forged slot
            PartyDescriptor.OWNER_OFFSET, 0);
    }

    private Path track(final Path path)
    {
        created.add(path);
        return path;
    }

    private static void assertLine(final String out, final String name, final String expected)
    {
        assertEquals(expected, value(out, name), () -> "field " + name + " in:\n" + out);
    }

    private static byte[] withoutHeartbeats(final byte[] file)
    {
        for (final int party : new int[]{RingDescriptor.CONSUMER_PARTY_OFFSET, RingDescriptor.PRODUCER_PARTY_OFFSET})
        {
            java.util.Arrays.fill(file, party + PartyDescriptor.HEARTBEAT_OFFSET, party + PartyDescriptor.HEARTBEAT_OFFSET + 8, (byte)0);
        }
        return file;
    }

    private static String value(final String out, final String name)
    {
        for (final String line : out.split("\\R"))
        {
            if (line.length() > 19 && line.substring(0, 19).strip().equals(name))
            {
                return line.substring(19);
            }
        }
        throw new AssertionError("no field " + name + " in:\n" + out);
    }
}
