package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import io.shmring.sync.WakeMechanism;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RingFile#openOrCreateMatching} creates a missing ring, opens an existing one made with the same config, and
 * refuses one that differs, naming the field with both values in one notation, and leaving the file as it was.
 */
class RingFileMatchingTest
{
    private static final long TIMEOUT_MS = 60_000;

    private final Path path = TestPaths.uniqueShmPath("matching");

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(path);
    }

    @Test
    void shouldCreateAMissingRingAndOpenItAgainWithTheSameConfig()
    {
        final RingConfig config = RingConfig.mpsc(8192).withProducerSlots(4);
        try (RingFile created = open(config))
        {
            assertTrue(created.createdHere());
        }
        try (RingFile again = open(config))
        {
            assertFalse(again.createdHere());
            assertEquals(4, again.producerSlots());
        }
    }

    @Test
    void shouldRefuseAnExistingRingThatDiffersNamingTheFieldAndBothValues()
    {
        final RingConfig config = RingConfig.spsc(8192);
        open(config).close();

        assertRefused(RingConfig.mpsc(8192), "kind", "SPSC", "MPSC");
        assertRefused(RingConfig.spsc(4096), "capacity", "8192", "4096");
        assertRefused(config.withMaxMessageLength(512), "maxMessageLength", "1024", "512");
        assertRefused(config.withProducerSlots(2), "producerSlots", "0", "2");
        assertRefused(config.withWakeMechanism(WakeMechanism.SEMAPHORE), "wakeMechanism", "FUTEX", "SEMAPHORE");

        try (RingFile unchanged = open(config))
        {
            assertFalse(unchanged.createdHere(), "the refused opens left the ring in place");
            assertEquals(8192, unchanged.capacity());
        }
    }

    @Test
    void shouldRefuseABroadcastRingWithOtherBroadcastSettings()
    {
        open(RingConfig.broadcast(8192, BroadcastConfig.lossless(4))).close();

        assertRefused(RingConfig.broadcast(8192, BroadcastConfig.lossless(8)), "consumers", "4", "8");
        assertRefused(RingConfig.broadcast(8192, BroadcastConfig.lossy(4)), "policy", "LOSSLESS", "LOSSY");
        assertRefused(RingConfig.broadcast(8192, BroadcastConfig.lossless(4).withStallTimeoutMs(1000)), "stallTimeoutMs",
            "5000", "1000");
    }

    @Test
    void shouldStillOpenADifferentRingWithThePlainOpenOrCreate()
    {
        open(RingConfig.spsc(8192)).close();
        try (RingFile file = RingFile.openOrCreate(path, RingConfig.spsc(4096), TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            assertEquals(8192, file.capacity(), "openOrCreate returns an existing ring as it is");
        }
    }

    private RingFile open(final RingConfig config)
    {
        return RingFile.openOrCreateMatching(path, config, TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private void assertRefused(final RingConfig config, final String field, final String actual, final String expected)
    {
        final IncompatibleRingException ex = assertThrows(IncompatibleRingException.class, () -> open(config));
        assertEquals(List.of(field, actual, expected), List.of(ex.field(), ex.actual(), ex.expected()), ex.getMessage());
        assertEquals(path, ex.path());
    }
}
