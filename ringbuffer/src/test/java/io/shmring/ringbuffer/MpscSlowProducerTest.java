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
 * A live producer JVM that pauses inside a claim is never unblocked: its message arrives intact, after
 * the messages committed before it and before those claimed after it.
 */
class MpscSlowProducerTest
{
    private static final long CLAIM_TIMEOUT_MS = 1_000;
    private static final long BEFORE_CLAIM = 1_000;
    private static final long STREAM_MESSAGES = 50_000;

    @Test
    void shouldDeliverClaimOfLiveProducerPausingShorterThanTheTimeout() throws Exception
    {
        run(CLAIM_TIMEOUT_MS / 2);
    }

    @Test
    void shouldNeverUnblockLiveProducerPausingLongerThanTheTimeout() throws Exception
    {
        run(CLAIM_TIMEOUT_MS * 2);
    }

    private static void run(final long pauseMs) throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("mpsc-slow");
        final List<ProducerProcess> children = new ArrayList<>();
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(64 * 1024).withProducerSlots(4));
            MpscConsumer consumer = new MpscConsumer(file, CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            final ProducerProcess slow = new ProducerProcess(path, 0, BEFORE_CLAIM, "slow-claim", pauseMs);
            children.add(slow);
            final ProducerProcess streamer = new ProducerProcess(path, 1, STREAM_MESSAGES, "stream", 0);
            children.add(streamer);
            final ConsumerLoop loop = new ConsumerLoop(consumer, 2);
            loop.start();

            slow.go();
            slow.await("CLAIMED", 30_000);
            streamer.go();
            slow.await("COMMITTED", 30_000 + pauseMs);
            streamer.await("DONE", 30_000);

            final TestMessages.Verifier verifier = loop.awaitAndStop(BEFORE_CLAIM + 1 + STREAM_MESSAGES, 30_000);
            assertEquals(BEFORE_CLAIM + 1, verifier.next(0), "the claimed message arrived, checksum intact");
            assertEquals(STREAM_MESSAGES, verifier.next(1));
            assertEquals(0, consumer.recoveredClaims());
            assertEquals(0, loop.firstRecoveryNanos());
            assertEquals(0, slow.waitFor(30_000));
            assertEquals(0, streamer.waitFor(30_000));
            assertTrue(consumer.isEmpty());
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
}
