package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lossless broadcast ring shared by this JVM (the producer) and consumer child JVMs, one of which is killed with
 * SIGKILL or frozen with SIGSTOP while it holds the producer back. The producer goes on once that consumer is dropped
 * (dead: by liveness; stopped: by the stall timeout), and the other consumers receive every message, once, in order.
 * Processes coordinate by lines on stdout; every wait is bounded by a deadline only a hang reaches.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BroadcastCrossProcessTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final int COUNT = 20_000;
    private static final long DEADLINE_MS = 120_000;

    private final Path path = TestRings.uniquePath("broadcast-xp");
    private final List<Child> children = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RingFile file;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final Child child : children)
        {
            child.close();
        }
        threads.shutdownNow();
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldDropAKilledConsumerByLivenessAndDeliverEverythingToTheOthers() throws Exception
    {
        // a day: only the liveness rules can drop the killed consumer in time
        file = RingFile.create(path, RingConfig.broadcast(CAPACITY,
            BroadcastConfig.lossless(4).withStallTimeoutMs(BroadcastDescriptor.MAX_STALL_TIMEOUT_MS))
            .withMaxMessageLength(CheckedMessages.MAX_LENGTH));
        final Child first = child("all");
        final Child second = child("all");
        final Child victim = child("victim");
        final Future<Integer> sent = produce();
        victim.await("READ", DEADLINE_MS);
        victim.process.destroyForcibly(); // SIGKILL
        victim.process.waitFor();
        assertEquals(COUNT, sent.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "the producer went on after the drop");
        assertEquals("DONE " + COUNT + " ok", first.await("DONE", DEADLINE_MS));
        assertEquals("DONE " + COUNT + " ok", second.await("DONE", DEADLINE_MS));
        assertEquals(0, first.waitFor(DEADLINE_MS));
        assertEquals(0, second.waitFor(DEADLINE_MS));
        assertEquals(1, file.droppedConsumers());
        final BroadcastSlotStatus slot = file.consumerSlotStatus(victim.slot);
        assertEquals(1, slot.drops());
        assertEquals(PartyStatus.Liveness.DEAD, slot.party().liveness());
        assertEquals(BroadcastDescriptor.NOT_READING, slot.position());
    }

    @Test
    void shouldDropAStoppedConsumerAfterTheStallTimeoutAndTellItWhenItResumes() throws Exception
    {
        file = RingFile.create(path, RingConfig.broadcast(CAPACITY,
            BroadcastConfig.lossless(4).withStallTimeoutMs(1000)).withMaxMessageLength(CheckedMessages.MAX_LENGTH));
        final Child first = child("all");
        final Child second = child("all");
        final Child victim = child("victim");
        final Future<Integer> sent = produce();
        victim.await("READ", DEADLINE_MS);
        Signals.send((int)victim.process.pid(), Signals.SIGSTOP);
        Signals.awaitStopped((int)victim.process.pid(), DEADLINE_MS);
        assertEquals(COUNT, sent.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "the producer went on after the drop");
        assertEquals("DONE " + COUNT + " ok", first.await("DONE", DEADLINE_MS));
        assertEquals("DONE " + COUNT + " ok", second.await("DONE", DEADLINE_MS));
        final BroadcastSlotStatus stopped = file.consumerSlotStatus(victim.slot);
        assertEquals(PartyStatus.Liveness.ALIVE, stopped.party().liveness(), "a stopped process is alive: the stall timeout dropped it");
        assertEquals(1, stopped.drops());
        Signals.send((int)victim.process.pid(), Signals.SIGCONT);
        victim.process.getOutputStream().write("GO\n".getBytes(StandardCharsets.US_ASCII));
        victim.process.getOutputStream().flush();
        final String dropped = victim.await("DROPPED", DEADLINE_MS);
        assertTrue(dropped.endsWith(" ok"), "what it read before the drop was intact and in order: " + dropped);
        assertEquals("DROPPED " + BroadcastConsumerMain.VICTIM_READS + " ok", dropped,
            "the message it held when dropped was its last; it was told at once");
        assertEquals(0, victim.waitFor(DEADLINE_MS));
        assertEquals(1, file.droppedConsumers());
    }

    private Future<Integer> produce()
    {
        final BroadcastProducer producer = new BroadcastProducer(file);
        return threads.submit(() ->
        {
            final UnsafeBuffer src = new UnsafeBuffer(new byte[CheckedMessages.MAX_LENGTH]);
            try (producer)
            {
                for (int seq = 0; seq < COUNT; seq++)
                {
                    CheckedMessages.write(src, 0, seq);
                    if (!producer.offer(CheckedMessages.typeOf(seq), src, 0, CheckedMessages.lengthOf(seq), DEADLINE_MS,
                        TimeUnit.MILLISECONDS))
                    {
                        throw new AssertionError("offer of " + seq + " timed out");
                    }
                }
            }
            return COUNT;
        });
    }

    private Child child(final String mode) throws Exception
    {
        final Child child = new Child(ChildJvm.builder(BroadcastConsumerMain.class, path.toString(), Integer.toString(COUNT), mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        children.add(child);
        child.slot = Integer.parseInt(child.await("READY", DEADLINE_MS).substring("READY ".length()));
        return child;
    }

    /**
     * A child JVM and the lines it prints.
     */
    private static final class Child implements AutoCloseable
    {
        final Process process;
        final ChildLines lines;
        int slot;

        Child(final Process process)
        {
            this.process = process;
            this.lines = new ChildLines(process, "broadcast-child-" + process.pid());
        }

        String await(final String prefix, final long timeoutMs) throws InterruptedException
        {
            return lines.await(prefix, timeoutMs);
        }

        int waitFor(final long timeoutMs) throws InterruptedException
        {
            assertTrue(process.waitFor(timeoutMs, TimeUnit.MILLISECONDS), "child exits: pid=" + process.pid());
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException
        {
            if (process.isAlive())
            {
                Signals.send((int)process.pid(), Signals.SIGCONT);
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
