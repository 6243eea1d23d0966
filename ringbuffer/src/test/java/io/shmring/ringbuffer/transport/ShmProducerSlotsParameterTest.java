package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.IncompatibleRingException;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.TableFullException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code producerSlots} on an {@code shm:} URI: the producer slots of an MPSC ring the URI creates (LAYOUT 2.1, Appendix
 * C), checked like {@code capacity} against a ring that exists.
 */
class ShmProducerSlotsParameterTest
{
    private final Path ring = TestPaths.uniqueShmPath("producer-slots");

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldCreateAnMpscRingWithTheProducerSlotsTheUriGivesAndRefuseOnePublisherMore() throws Exception
    {
        final String uri = "shm:" + ring + "?kind=mpsc&capacity=64k&producerSlots=3";
        final List<Publisher> publishers = new ArrayList<>();
        try (Subscriber subscriber = Transports.subscriber(uri))
        {
            assertEquals(3, ((ShmSubscriber)subscriber).file().producerSlots());
            for (int i = 0; i < 3; i++)
            {
                publishers.add(Transports.publisher(uri));
                assertTrue(publishers.get(i).offer(i, new UnsafeBuffer(new byte[8]), 0, 8));
            }
            final TableFullException full = assertThrows(TableFullException.class, () -> Transports.publisher(uri));
            assertTrue(full.getMessage().contains("3"), full.getMessage());
            final List<Integer> types = new ArrayList<>();
            assertEquals(3, subscriber.poll((typeId, buffer, offset, length) -> types.add(typeId), 10));
            assertEquals(List.of(0, 1, 2), types);
        }
        finally
        {
            for (final Publisher publisher : publishers)
            {
                publisher.close();
            }
        }
    }

    @Test
    void shouldTakeProducerSlotsWithoutKindForAnMpscRing() throws Exception
    {
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k&producerSlots=2"))
        {
            assertEquals(RingKind.MPSC, ((ShmPublisher)publisher).file().kind());
            assertEquals(2, ((ShmPublisher)publisher).file().producerSlots());
        }
    }

    @Test
    void shouldGiveAnMpscRingTheDefaultSlotsWhenTheUriLeavesThemOut() throws Exception
    {
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k&kind=mpsc"))
        {
            assertEquals(RingConfig.DEFAULT_PRODUCER_SLOTS, ((ShmPublisher)publisher).file().producerSlots());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "kind=mpsc&producerSlots=0", "kind=mpsc&producerSlots=4097", "kind=mpsc&producerSlots=-1",
        "kind=mpsc&producerSlots=many", "kind=spsc&producerSlots=2", "kind=broadcast&producerSlots=2",
        "consumers=2&producerSlots=2" })
    void shouldRefuseProducerSlotsOutOfRangeOrOnAnotherKindNamingItWithoutCreatingTheFile(final String query)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?capacity=64k&" + query));
        final String slots = query.substring(query.indexOf("producerSlots="));
        assertTrue(ex.getMessage().contains(slots), ex.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }

    @Test
    void shouldRefuseAProducerSlotsTheExistingRingDoesNotHaveAndTakeTheFilesWhenLeftOut() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?kind=mpsc&capacity=64k&producerSlots=3"))
        {
            final IncompatibleRingException mismatch = assertThrows(IncompatibleRingException.class,
                () -> Transports.publisher("shm:" + ring + "?kind=mpsc&producerSlots=4"));
            assertEquals(List.of("producerSlots", "3", "4"), List.of(mismatch.field(), mismatch.actual(), mismatch.expected()),
                mismatch.getMessage());
            try (Publisher stated = Transports.publisher("shm:" + ring + "?kind=mpsc&producerSlots=3");
                Publisher left = Transports.publisher("shm:" + ring + "?kind=mpsc"))
            {
                assertEquals(3, ((ShmPublisher)left).file().producerSlots());
                assertTrue(stated.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
                assertTrue(left.offer(2, new UnsafeBuffer(new byte[8]), 0, 8));
            }
            assertEquals(2, subscriber.poll((typeId, buffer, offset, length) -> { }, 10));
        }
    }
}
