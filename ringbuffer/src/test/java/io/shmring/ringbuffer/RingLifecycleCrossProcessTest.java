package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.liveness.PartyStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who holds a ring, judged across real processes: a producer in another pid namespace, a consumer that is a
 * zombie, and a consumer SIGKILLed while it releases the frames it consumed. Every wait is bounded by a deadline
 * that only a hang reaches; nothing here depends on how fast the machine is.
 */
class RingLifecycleCrossProcessTest
{
    /** Long enough for a child JVM to start on a loaded machine; only a hang exceeds it. */
    private static final long CHILD_START_MS = 120_000;
    /** How long to wait for something the protocol guarantees (a stale heartbeat, a delivery): only a hang exceeds it. */
    private static final long GUARANTEED_WITHIN_MS = 120_000;

    private final Path path = TestPaths.uniqueShmPath("lifecycle");
    private final TrackedResources resources = new TrackedResources();

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private static List<String> childCommand(final String role, final Path ring)
    {
        return ChildJvm.builder(LifecycleChild.class, role, ring.toString()).command();
    }

    @Test
    void shouldJudgeAProducerInAnotherPidNamespaceByItsHeartbeatAndTakeItsRoleOnlyAfterItDies() throws Exception
    {
        assumeTrue(canUnsharePidNamespace(), "skipped: this machine does not let us run `unshare --pid --fork --mount-proc`" +
            " (needs root or user namespaces)");
        final RingFile file = track(RingFile.create(path, RingConfig.spsc(64 * 1024)));
        final List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
        command.addAll(childCommand("spsc-producer", path));
        final ChildProcess contained = track(ChildProcess.start(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)));
        final String attached = contained.awaitLine("ATTACHED", CHILD_START_MS);
        final int containedPid = Integer.parseInt(attached.substring("ATTACHED ".length()));

        final PartyStatus holder = file.producerStatus();
        assertEquals(containedPid, holder.pid(), "the pid as its own namespace numbers it");
        assertFalse(holder.sameNamespace());
        assertEquals(PartyStatus.Liveness.ALIVE, holder.liveness(), "judged by its heartbeat: " + holder);
        final AlreadyAttachedException refused = assertThrows(AlreadyAttachedException.class, () -> new SpscProducer(file));
        assertTrue(refused.getMessage().contains("other pid namespace"), refused.getMessage());

        contained.process().destroyForcibly().waitFor(); // unshare dies; --kill-child SIGKILLs the producer with it
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARANTEED_WITHIN_MS);
        while (file.producerStatus().liveness() != PartyStatus.Liveness.DEAD && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(100);
        }
        final PartyStatus dead = file.producerStatus();
        assertEquals(PartyStatus.Liveness.DEAD, dead.liveness(), dead.toString());
        assertTrue(dead.heartbeatAgeMs() > io.shmring.ringbuffer.internal.LinuxHost.INSTANCE.staleAfterMs(), "dead only once its heartbeat is stale: " + dead);
        try (SpscProducer successor = new SpscProducer(file))
        {
            assertTrue(successor.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        }
    }

    @Test
    void shouldLetANewConsumerAttachWhenTheOldOneIsAZombie() throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingConfig.spsc(64 * 1024)));
        // sh starts the consumer, then becomes "sleep", which never reaps it: once killed, the consumer is a zombie
        final String java = String.join(" ", childCommand("consumer", path).stream().map(RingLifecycleCrossProcessTest::quote).toList());
        final ChildProcess shell = track(ChildProcess.start(new ProcessBuilder("sh", "-c", java + " & exec sleep 600")
            .redirectError(ProcessBuilder.Redirect.INHERIT)));
        final int consumerPid = Integer.parseInt(shell.awaitLine("ATTACHED", CHILD_START_MS).substring("ATTACHED ".length()));
        assertThrows(AlreadyAttachedException.class, () -> new SpscConsumer(file), "a live consumer holds the role");

        ProcessHandle.of(consumerPid).orElseThrow().destroyForcibly();
        final Path stat = Path.of("/proc/" + consumerPid + "/stat");
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARANTEED_WITHIN_MS);
        while (!Files.readString(stat).contains(") Z ") && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(stat).contains(") Z "), "the killed consumer is a zombie, not yet reaped");
        assertEquals(PartyStatus.Liveness.DEAD, file.consumerStatus().liveness());
        try (SpscConsumer successor = new SpscConsumer(file))
        {
            assertEquals(0, successor.poll((t, b, o, l) -> { }, 1));
        }
    }

    @Test
    void shouldResumeDeliveryAfterAConsumerIsKilledWhileReleasingWhatItConsumed() throws Exception
    {
        final int messageLength = 32 * 1024;
        final RingFile file = track(RingFile.create(path, RingConfig.mpsc(1 << 20).withMaxMessageLength(messageLength)));
        final MpscProducer producer = track(new MpscProducer(file));
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final Thread feeder = new Thread(() ->
        {
            while (producing.get())
            {
                // claims write only the sequence: the ring stays full and the consumer spends its time releasing
                final int index = producer.tryClaim(1, messageLength);
                if (index >= 0)
                {
                    producer.buffer().putLong(index, sent.get() + 1);
                    producer.commit(index);
                    sent.incrementAndGet();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
        }, "feeder");
        feeder.start();
        resources.track(() ->
        {
            producing.set(false);
            feeder.join(GUARANTEED_WITHIN_MS);
        });

        long lastSeen = 0;
        int stops = 0;
        for (int round = 0; round < 3; round++)
        {
            try (ChildProcess consumer = ChildProcess.start(ChildJvm.builder(LifecycleChild.class, "draining-consumer", path.toString())))
            {
                consumer.awaitLine("ATTACHED", CHILD_START_MS);
                stops += killInTheMiddleOfARelease(file, (int)consumer.process().pid());
                consumer.process().waitFor();
            }
            // the next consumer must deliver, in order, what the killed one did not release
            try (MpscConsumer next = new MpscConsumer(file))
            {
                final long[] first = {0};
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARANTEED_WITHIN_MS);
                while (first[0] == 0 && System.nanoTime() - deadline < 0)
                {
                    next.poll((typeId, buffer, offset, length) ->
                    {
                        if (first[0] == 0)
                        {
                            first[0] = buffer.getLong(offset);
                        }
                    }, 1);
                }
                assertTrue(first[0] > lastSeen, "round " + round + ": delivery resumed after the kill, in order (first=" +
                    first[0] + ", previous=" + lastSeen + ", head=" + file.consumerPosition() + ", tail=" + file.producerPosition() + ")");
                lastSeen = first[0];
            }
        }
        System.out.printf("consumer SIGKILLed 3 times in the middle of a release (%d SIGSTOPs to catch it there); %,d messages sent%n",
            stops, sent.get());
    }

    /**
     * Freeze the consumer with SIGSTOP at random moments until it is frozen in the middle of a release: the frame
     * at the head already zeroed, the head not yet moved past it. Then SIGKILL it there.
     *
     * @return how many times it was stopped.
     */
    private static int killInTheMiddleOfARelease(final RingFile file, final int pid) throws Exception
    {
        final ProducerTable table = new ProducerTable(file);
        for (int stops = 1; stops <= 100_000; stops++)
        {
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(500_000));
            Signals.send(pid, Signals.SIGSTOP);
            Signals.awaitStopped(pid, GUARANTEED_WITHIN_MS);
            final long head = file.consumerPosition();
            final boolean headerZeroed = file.data().getLongVolatile((int)head & (file.capacity() - 1)) == 0;
            if (headerZeroed && file.producerPosition() > head && table.findReservation(head) == ProducerTable.NO_SLOT)
            {
                Signals.send(pid, Signals.SIGKILL);
                return stops;
            }
            Signals.send(pid, Signals.SIGCONT);
        }
        throw new AssertionError("the consumer was never frozen in the middle of a release in 100,000 stops");
    }

    @Test
    void shouldReportTheLostRoleAndDeliverNothingAgainWhenAConsumerInAnotherPidNamespaceResumesAfterATakeover() throws Exception
    {
        assumeTrue(canUnsharePidNamespace(), "skipped: this machine does not let us run `unshare --pid --fork --mount-proc`" +
            " (needs root or user namespaces)");
        final int capacity = 64 * 1024;
        final RingFile file = track(RingFile.create(path, RingConfig.spsc(capacity)));
        final SpscProducer producer = track(new SpscProducer(file));
        final List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
        command.addAll(childCommand("counting-consumer", path));
        final ChildProcess contained = track(ChildProcess.start(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)));
        contained.awaitLine("ATTACHED", CHILD_START_MS);
        final int consumerPid = (int)contained.process().toHandle().descendants()
            .filter(child -> child.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst().orElseThrow().pid();

        final UnsafeBuffer message = new UnsafeBuffer(new byte[56]);
        final int before = 100;
        for (int i = 0; i < before; i++)
        {
            assertTrue(producer.offer(1, message, 0, message.capacity()));
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARANTEED_WITHIN_MS);
        while (file.consumerPosition() != file.producerPosition() && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        assertEquals(file.producerPosition(), file.consumerPosition(), "the contained consumer read all " + before);
        // stopped while its ring is empty: no batch of its is in flight, so it may deliver nothing more
        Signals.send(consumerPid, Signals.SIGSTOP);
        Signals.awaitStopped(consumerPid, GUARANTEED_WITHIN_MS);
        while (file.consumerStatus().liveness() != PartyStatus.Liveness.DEAD && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(100); // across namespaces a stopped consumer is judged by its heartbeat alone
        }
        assertEquals(PartyStatus.Liveness.DEAD, file.consumerStatus().liveness());

        try (SpscConsumer successor = new SpscConsumer(file))
        {
            long taken = 0;
            for (long sent = 0; sent < 3L * capacity; sent += 64)
            {
                assertTrue(producer.offer(1, message, 0, message.capacity()));
                taken += successor.poll((t, b, o, l) -> { }, 256);
            }
            Signals.send(consumerPid, Signals.SIGCONT);
            final String ended = contained.awaitLine("ENDED", GUARANTEED_WITHIN_MS);
            System.out.println("taken-over consumer after SIGCONT: " + ended + "; its successor took " + taken);
            assertTrue(ended.startsWith("ENDED delivered=" + before + " "), "delivered nothing again: " + ended);
            assertTrue(ended.contains("lost its role"), "reports the lost role, not corruption: " + ended);
            while (successor.poll((t, b, o, l) -> { }, 256) > 0)
            {
                taken++;
            }
            assertEquals(3L * capacity / 64, taken, "the successor got everything sent after the takeover, once");
        }
    }

    private static boolean canUnsharePidNamespace()
    {
        try
        {
            final Process probe = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "true")
                .redirectErrorStream(true).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    private static String quote(final String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
