package io.shmring.core.internal.stream;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FifoTransportTest
{
    @TempDir
    Path directory;

    @Test
    @SuppressWarnings("try") // the publisher is closed mid-test on purpose, to show end of stream
    void shouldOpenPublisherBeforeSubscriberWithoutBlockingOnOneThread() throws Exception
    {
        final Path fifo = directory.resolve("first.fifo");
        final AtomicInteger delivered = new AtomicInteger();
        try (Publisher publisher = Transports.publisher("fifo:" + fifo))
        {
            assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(fifo));
            final UnsafeBuffer source = new UnsafeBuffer(new byte[16]);
            assertFalse(publisher.offer(1, source, 0, 16), "no reader yet: no space");
            try (Subscriber subscriber = Transports.subscriber("fifo:" + fifo))
            {
                assertEquals(0, subscriber.poll((t, b, o, l) -> delivered.incrementAndGet(), 10));
                assertFalse(subscriber.isEndOfStream(), "no writer yet is not the end of the stream");
                assertTrue(publisher.offer(1, source, 0, 16, 30, TimeUnit.SECONDS));
                assertEquals(1, subscriber.take((t, b, o, l) -> delivered.incrementAndGet(), 10, 30, TimeUnit.SECONDS));
                publisher.close();
                assertEquals(0, subscriber.take((t, b, o, l) -> delivered.incrementAndGet(), 10, 30, TimeUnit.SECONDS));
                assertTrue(subscriber.isEndOfStream());
            }
        }
        assertEquals(1, delivered.get());
        assertFalse(Files.exists(fifo), "the subscriber deletes the FIFO");
    }

    @Test
    void shouldRefusePathThatIsNotFifo() throws Exception
    {
        final Path file = Files.createFile(directory.resolve("plain"));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Transports.subscriber("fifo:" + file));
        assertTrue(ex.getMessage().contains("not a FIFO"), ex.getMessage());
    }
}
