package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.IncompatibleRingException;
import io.shmring.sync.WakeProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wakeProtocol} on an {@code shm:} URI: the wake protocol (layout version, LAYOUT 2.1) of a ring the URI
 * creates, checked like {@code capacity} against a ring that exists.
 */
class ShmWakeProtocolParameterTest
{
    private final Path ring = TestPaths.uniqueShmPath("wake-protocol");

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @ParameterizedTest
    @ValueSource(strings = { "spsc", "mpsc" })
    void shouldCreateAMembarrierRingAndWakeASleepingSubscriberThroughIt(final String kind) throws Exception
    {
        final String uri = "shm:" + ring + "?kind=" + kind + "&capacity=64k&wait=futex&wakeProtocol=membarrier";
        try (Subscriber subscriber = Transports.subscriber(uri);
            Publisher publisher = Transports.publisher("shm:" + ring + "?kind=" + kind))
        {
            assertEquals(WakeProtocol.MEMBARRIER, ((ShmSubscriber)subscriber).file().wakeProtocol());
            assertEquals(3, ((ShmSubscriber)subscriber).file().layoutVersion());
            assertEquals(WakeProtocol.MEMBARRIER, ((ShmPublisher)publisher).file().wakeProtocol(), "taken from the file");
            final List<Integer> types = new CopyOnWriteArrayList<>();
            // the subscriber sleeps in take (futex) until the publisher's offer wakes it; the bound only ends a failing run
            final CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return subscriber.take((typeId, buffer, offset, length) -> types.add(typeId), 10, 60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertTrue(publisher.offer(7, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(1, taken.get(90, TimeUnit.SECONDS));
            assertEquals(List.of(7), types);
        }
    }

    @Test
    void shouldCreateAFencedRingWhenTheUriLeavesTheProtocolOut() throws Exception
    {
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k"))
        {
            assertEquals(WakeProtocol.FENCED, ((ShmPublisher)publisher).file().wakeProtocol());
            assertEquals(2, ((ShmPublisher)publisher).file().layoutVersion());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "wakeProtocol=fast", "wakeProtocol=", "wakeProtocol=MEMBARRIER2" })
    void shouldRefuseAnUnknownProtocolNamingItWithoutCreatingTheFile(final String query)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?capacity=64k&" + query));
        assertTrue(ex.getMessage().contains("wakeProtocol"), ex.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }

    @Test
    void shouldRefuseAProtocolTheExistingRingDoesNotHaveAndTakeTheFilesWhenLeftOut() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?capacity=64k&wakeProtocol=membarrier"))
        {
            final IncompatibleRingException mismatch = assertThrows(IncompatibleRingException.class,
                () -> Transports.publisher("shm:" + ring + "?wakeProtocol=fenced"));
            assertEquals(List.of("wakeProtocol", "MEMBARRIER", "FENCED"),
                List.of(mismatch.field(), mismatch.actual(), mismatch.expected()), mismatch.getMessage());
            try (Publisher left = Transports.publisher("shm:" + ring))
            {
                assertEquals(WakeProtocol.MEMBARRIER, ((ShmPublisher)left).file().wakeProtocol());
                assertTrue(left.offer(2, new UnsafeBuffer(new byte[8]), 0, 8));
            }
            assertEquals(1, subscriber.poll((typeId, buffer, offset, length) -> { }, 10));
        }
    }
}
