package io.shmring.ringbuffer.transport;

import io.shmring.ringbuffer.IncompatibleRingException;
import io.shmring.core.Publisher;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.ringbuffer.BroadcastPolicy;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shm:...?kind=broadcast}: one publisher, every subscriber one more consumer reading every message.
 */
class ShmBroadcastTransportTest
{
    private final Path ring = SharedMemoryDirectory.resolve("shmring-broadcast-" + ProcessHandle.current().pid() + "-" +
        Long.toHexString(ThreadLocalRandom.current().nextLong()));

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldWarnOncePerLapWhenALossySubscriberIsLapped() throws Exception
    {
        final Logger logger = Logger.getLogger(LossLog.class.getName());
        final List<LogRecord> records = new ArrayList<>();
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                records.add(record);
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(capture);
        final String uri = "shm:" + ring + "?kind=broadcast&policy=lossy&consumers=2&capacity=4k";
        try (Publisher publisher = Transports.publisher(uri);
             Subscriber subscriber = Transports.subscriber(uri))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[56]);
            for (int i = 0; i < 3 * 4096 / 64; i++) // three laps of 64-byte frames while the subscriber reads nothing
            {
                payload.putInt(0, i);
                assertTrue(publisher.offer(1, payload, 0, 56));
            }
            subscriber.poll((typeId, buffer, offset, length) -> { }, 10);
            assertEquals(1, records.size(), "one warning for the lap the poll found");
            final LogRecord lap = records.get(0);
            assertEquals(Level.WARNING, lap.getLevel());
            final String message = java.text.MessageFormat.format(lap.getMessage(), lap.getParameters());
            assertTrue(message.contains("lapped") && message.contains("laps 1") && message.contains(ring.toString()), message);
        }
        finally
        {
            logger.removeHandler(capture);
        }
    }

    @Test
    void shouldTakeBroadcastSettingsWithoutKindAsABroadcastRingAndMatchAnExistingOne() throws Exception
    {
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?kind=broadcast&policy=lossy&consumers=4&capacity=64k");
             Subscriber matching = Transports.subscriber("shm:" + ring + "?policy=lossy&consumers=4"))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            payload.putLong(0, 42);
            assertTrue(publisher.offer(1, payload, 0, 8));
            final long[] seen = new long[1];
            assertEquals(1, matching.take((typeId, buffer, offset, length) -> seen[0] = buffer.getLong(offset), 1, 30,
                TimeUnit.SECONDS));
            assertEquals(42, seen[0]);
            assertEquals("consumers", assertThrows(IncompatibleRingException.class,
                () -> Transports.subscriber("shm:" + ring + "?consumers=8")).field());
        }
        try (RingFile file = RingFile.open(ring))
        {
            assertEquals(RingKind.BROADCAST, file.kind());
        }
    }

    @Test
    void shouldDeliverEveryMessageToEverySubscriberOfABroadcastRing() throws Exception
    {
        final String uri = "shm:" + ring + "?kind=broadcast&policy=lossless&consumers=8&capacity=64k&wait=futex";
        final List<Subscriber> subscribers = new ArrayList<>();
        try (Publisher publisher = Transports.publisher(uri))
        {
            for (int i = 0; i < 3; i++)
            {
                subscribers.add(Transports.subscriber(uri));
            }
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 100; i++)
            {
                payload.putInt(0, i);
                assertTrue(publisher.offer(1, payload, 0, 8, 30, TimeUnit.SECONDS));
            }
            for (final Subscriber subscriber : subscribers)
            {
                final List<Integer> seen = new ArrayList<>();
                while (seen.size() < 100)
                {
                    assertTrue(subscriber.take((t, b, o, l) -> seen.add(b.getInt(o)), 100, 30, TimeUnit.SECONDS) > 0);
                }
                for (int i = 0; i < 100; i++)
                {
                    assertEquals(i, seen.get(i));
                }
            }
        }
        finally
        {
            for (final Subscriber subscriber : subscribers)
            {
                subscriber.close();
            }
        }
        try (RingFile file = RingFile.open(ring, RingKind.BROADCAST))
        {
            assertEquals(8, file.consumerSlots());
            assertEquals(BroadcastPolicy.LOSSLESS, file.broadcastPolicy());
            assertEquals(5000, file.stallTimeoutMs());
            assertEquals(0, file.consumerSlotStatus(0).party().pid(), "subscribers leave at close");
        }
    }

    @Test
    void shouldCreateALossyRingAndStartASubscriberAtTheOldestIntactMessage() throws Exception
    {
        final String uri = "shm:" + ring + "?kind=broadcast&policy=lossy&consumers=2&capacity=64k";
        try (Publisher publisher = Transports.publisher(uri))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 10; i++)
            {
                payload.putInt(0, i);
                assertTrue(publisher.offer(1, payload, 0, 8));
            }
            try (Subscriber oldest = Transports.subscriber(uri + "&start=oldest");
                Subscriber newest = Transports.subscriber(uri))
            {
                final List<Integer> seen = new ArrayList<>();
                assertEquals(10, oldest.poll((t, b, o, l) -> seen.add(b.getInt(o)), 100));
                assertEquals(0, seen.get(0));
                assertEquals(0, newest.poll((t, b, o, l) -> seen.add(b.getInt(o)), 100), "a subscriber joins at the tail");
            }
        }
    }

    @Test
    void shouldRefuseBroadcastParametersOnOtherKindsWithoutCreatingTheFile()
    {
        for (final String query : List.of("policy=lossy", "consumers=4", "stallTimeoutMs=1000"))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Transports.subscriber("shm:" + ring + "?kind=spsc&" + query));
            assertTrue(ex.getMessage().contains(query.substring(0, query.indexOf('='))), ex.getMessage());
        }
        assertFalse(Files.exists(ring));
    }

    @Test
    void shouldRefuseSettingsThatDoNotFitTheRing() throws Exception
    {
        final String uri = "shm:" + ring + "?kind=broadcast&capacity=64k";
        try (Publisher publisher = Transports.publisher(uri))
        {
            assertEquals("policy", assertThrows(IncompatibleRingException.class, () -> Transports.subscriber(uri + "&policy=lossy")).field());
            assertEquals("consumers", assertThrows(IncompatibleRingException.class, () -> Transports.subscriber(uri + "&consumers=4")).field());
            assertThrows(IllegalArgumentException.class, () -> Transports.subscriber(uri + "&start=oldest"), "lossless: tail only");
            assertThrows(IllegalArgumentException.class, () -> Transports.subscriber(uri + "&keep=false"));
            assertThrows(IllegalArgumentException.class, () -> Transports.subscriber("shm:" + ring + "?kind=broadcast&consumers=0"));
            assertThrows(IllegalArgumentException.class,
                () -> Transports.publisher("shm:" + ring + "-lossy?kind=broadcast&policy=lossy&stallTimeoutMs=1000"));
            assertFalse(Files.exists(Path.of(ring + "-lossy")));
        }
    }
}
