package io.shmring.ringbuffer.transport;

import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.MpscConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code claimTimeoutMs} on an {@code shm:} URI: the MPSC subscriber's claim timeout (how long a claim may block the
 * head before its producer's liveness is judged; recovery itself is MpscDeadProducerKillTest's), refused where no
 * claim is judged.
 */
class ShmClaimTimeoutParameterTest
{
    private final Path ring = TestPaths.uniqueShmPath("claim-timeout");

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldGiveTheMpscSubscriberTheClaimTimeoutTheUriGives() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?kind=mpsc&capacity=64k&claimTimeoutMs=500"))
        {
            assertEquals(500, ((ShmSubscriber)subscriber).claimTimeoutMs());
        }
    }

    @Test
    void shouldUseTheDefaultClaimTimeoutWhenTheUriLeavesItOut() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?kind=mpsc&capacity=64k"))
        {
            assertEquals(MpscConsumer.DEFAULT_CLAIM_TIMEOUT_MS, ((ShmSubscriber)subscriber).claimTimeoutMs());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "claimTimeoutMs=499", "claimTimeoutMs=86400001", "claimTimeoutMs=soon", "claimTimeoutMs=-1" })
    void shouldRefuseAClaimTimeoutOutOfRangeNamingItWithoutCreatingTheFile(final String query)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("shm:" + ring + "?kind=mpsc&capacity=64k&" + query));
        assertTrue(ex.getMessage().contains(query), ex.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }

    @ParameterizedTest
    @ValueSource(strings = { "kind=spsc", "kind=broadcast" })
    void shouldRefuseAClaimTimeoutOnARingWithoutClaims(final String kind)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("shm:" + ring + "?" + kind + "&capacity=64k&claimTimeoutMs=1000"));
        assertTrue(ex.getMessage().contains("claimTimeoutMs=1000"), ex.getMessage());
    }

    @Test
    void shouldRefuseAClaimTimeoutOnAPublisher()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?kind=mpsc&capacity=64k&claimTimeoutMs=1000"));
        assertTrue(ex.getMessage().contains("claimTimeoutMs=1000"), ex.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }
}
