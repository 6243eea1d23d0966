package io.shmring.ringbuffer.transport;

import java.util.List;

import java.util.ArrayList;

import io.shmring.core.Publisher;
import io.shmring.core.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmTransportProviderTest
{
    private final String name = "shmring-provider-" + ProcessHandle.current().pid() + "-" +
        Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Path ring = SharedMemoryDirectory.resolve(name);

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldCreateMpscRingAndAcceptTwoPublishers() throws Exception
    {
        final String uri = "shm:" + ring + "?capacity=64k&kind=mpsc";
        try (Subscriber subscriber = Transports.subscriber(uri);
            Publisher first = Transports.publisher(uri);
            Publisher second = Transports.publisher(uri))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            assertTrue(first.offer(1, payload, 0, 8));
            assertTrue(second.offer(2, payload, 0, 8));
            final List<Integer> types = new ArrayList<>();
            assertEquals(2, subscriber.poll((t, b, o, l) -> types.add(t), 10));
            assertEquals(List.of(1, 2), types);
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?kind=maybe"));
        assertTrue(ex.getMessage().contains("kind") && ex.getMessage().contains("mpsc"), ex.getMessage());
    }

    @Test
    void shouldRejectFutexAndSemaphoreWaitsUntilTheyAreWiredIn()
    {
        for (final String wait : new String[]{ "futex", "semaphore" })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Transports.subscriber("shm:" + ring + "?wait=" + wait));
            assertTrue(ex.getMessage().contains("wait=" + wait + " is not available in this build"), ex.getMessage());
        }
        final IllegalArgumentException bogus = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("shm:" + ring + "?wait=nap"));
        assertTrue(bogus.getMessage().contains("wait=nap") && bogus.getMessage().contains("backoff"), bogus.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }

    @Test
    void shouldRejectCapacityNotPowerOfTwoNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?capacity=100k"));
        assertTrue(ex.getMessage().contains("capacity=100k"), ex.getMessage());
    }

    @Test
    void shouldLetPublisherComeFirstAndSubscriberDeleteTheFile() throws Exception
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        final int[] delivered = new int[1];
        try (Publisher publisher = Transports.publisher("shm:" + name + "?capacity=64k&wait=yield"))
        {
            assertTrue(Files.exists(ring), "a bare name goes in the shared memory directory");
            assertEquals(64 * 1024 / 8, publisher.maxMessageLength());
            assertTrue(publisher.offer(1, source, 0, 8));
            final IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Transports.subscriber("shm:" + name + "?capacity=128k"));
            assertTrue(mismatch.getMessage().contains("capacity=65536"), mismatch.getMessage());
            try (Subscriber subscriber = Transports.subscriber("shm:" + name))
            {
                assertEquals(1, subscriber.take((t, b, o, l) -> delivered[0]++, 10, 5, TimeUnit.SECONDS));
            }
        }
        assertEquals(1, delivered[0]);
        assertFalse(Files.exists(ring), "the subscriber deleted the file");
    }

    @Test
    void shouldKeepFileWhenAsked() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?capacity=64k&keep=true"))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
            assertTrue(Files.exists(ring));
        }
        assertTrue(Files.exists(ring), "keep=true leaves the file");
    }

    @Test
    void shouldOpenBothEndsWhenTheyRaceToCreateTheSameRing() throws Exception
    {
        final String uri = "shm:" + ring + "?capacity=64k";
        final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);
        try
        {
            for (int round = 0; round < 300; round++)
            {
                final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                final java.util.concurrent.Future<Subscriber> subscriber = executor.submit(() ->
                {
                    start.await();
                    return Transports.subscriber(uri);
                });
                final java.util.concurrent.Future<Publisher> publisher = executor.submit(() ->
                {
                    start.await();
                    return Transports.publisher(uri);
                });
                try (Subscriber s = subscriber.get(); Publisher p = publisher.get())
                {
                    assertTrue(p.offer(round, new UnsafeBuffer(new byte[8]), 0, 8), "round " + round);
                    assertEquals(1, s.poll((t, b, o, l) -> { }, 10), "round " + round);
                }
                Files.deleteIfExists(ring);
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
