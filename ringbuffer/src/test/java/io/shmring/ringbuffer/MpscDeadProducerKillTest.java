package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer JVM that holds a claim is killed with SIGKILL while other producer JVMs stream; the
 * consumer must recover the claim after the death (never before it), and every message committed by
 * anyone, the dead producer included, must arrive exactly once and in order. The claim timeout is a day: the
 * owner's pid is checked in this namespace, so its death is certain and the recovery comes at a judgement
 * (docs/LAYOUT.md 5.7 Detecting, every 50 ms), never after the timeout, which no test deadline reaches. How long
 * after the death the recovery came depends on the scheduler: printed.
 */
class MpscDeadProducerKillTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final long CLAIM_TIMEOUT_MS = MpscConsumer.MAX_CLAIM_TIMEOUT_MS;
    private static final long VICTIM_MESSAGES = 20_000;
    private static final long STREAM_MESSAGES = 200_000;
    private static final int STREAMERS = 2;

    @Test
    void shouldRecoverClaimOfKilledProducerWhileOthersStream() throws Exception
    {
        run("claim-hang", "CLAIMED", false);
    }

    @Test
    void shouldRecoverClaimOfProducerKilledWhileTheRingIsFull() throws Exception
    {
        run("claim-hang", "CLAIMED", true);
    }

    @Test
    void shouldRecoverHeaderlessReservationOfProducerKilledWhileTheRingIsFull() throws Exception
    {
        run("reserve-hang", "RESERVED", true);
    }

    private static void run(final String victimMode, final String victimSignal, final boolean fullAtDeath) throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("mpsc-kill");
        final List<ProducerProcess> children = new ArrayList<>();
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(CAPACITY).withProducerSlots(8));
            MpscConsumer consumer = new MpscConsumer(file, CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            final ProducerProcess victim = new ProducerProcess(path, 0, VICTIM_MESSAGES, victimMode, 0);
            children.add(victim);
            for (int id = 1; id <= STREAMERS; id++)
            {
                children.add(new ProducerProcess(path, id, STREAM_MESSAGES, "stream", 0));
            }
            final ConsumerLoop loop = new ConsumerLoop(consumer, STREAMERS + 1);
            loop.start();

            victim.go();
            victim.await(victimSignal, 30_000);
            if (fullAtDeath)
            {
                startStreamers(children);
                awaitFull(file);
                assertTrue(consumer.isProducerAlive(victim.slot(), 60, TimeUnit.SECONDS)); // a heartbeat age only a hang reaches
            }
            final long killedAt = System.nanoTime();
            victim.kill();
            if (!fullAtDeath)
            {
                startStreamers(children);
            }

            final TestMessages.Verifier verifier = loop.awaitAndStop(VICTIM_MESSAGES + STREAMERS * STREAM_MESSAGES, 60_000);
            assertEquals(VICTIM_MESSAGES, verifier.next(0), "the dead producer's committed messages, once each");
            for (int id = 1; id <= STREAMERS; id++)
            {
                assertEquals(STREAM_MESSAGES, verifier.next(id), "producerId=" + id);
                assertEquals(0, children.get(id).waitFor(30_000));
            }
            assertEquals(1, consumer.recoveredClaims());
            assertEquals(1, file.recoveredClaims());
            assertTrue(consumer.isEmpty());
            assertTrue(!consumer.isProducerAlive(victim.slot(), 1, TimeUnit.SECONDS));

            final long recoveredAfterMs = TimeUnit.NANOSECONDS.toMillis(loop.firstRecoveryNanos() - killedAt);
            assertTrue(loop.firstRecoveryNanos() > killedAt, "never recovered while the owner was alive");
            System.out.printf("MPSC kill (%s, full at death=%b): recovered %d ms after SIGKILL, timeout %d ms%n",
                victimMode, fullAtDeath, recoveredAfterMs, CLAIM_TIMEOUT_MS);
        }
        finally
        {
            for (final ProducerProcess child : children)
            {
                child.close();
            }
            Files.deleteIfExists(path);
        }
    }

    private static void startStreamers(final List<ProducerProcess> children) throws Exception
    {
        for (int i = 1; i < children.size(); i++)
        {
            children.get(i).go();
        }
    }

    /**
     * Wait until no frame of a test message fits: the producers are spinning on a full ring.
     */
    private static void awaitFull(final RingFile file) throws InterruptedException
    {
        final int frame = io.shmring.core.FrameDescriptor.alignedFrameLength(TestMessages.LENGTH);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (file.capacity() - file.size() >= frame)
        {
            assertTrue(System.nanoTime() < deadline, "ring never filled: size=" + file.size());
            Thread.sleep(1);
        }
    }
}
