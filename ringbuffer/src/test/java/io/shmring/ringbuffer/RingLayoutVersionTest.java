package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.Eventcount;
import io.shmring.sync.WakeProtocol;
import io.shmring.sync.internal.Membarrier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout version decides the wake protocol: a new ring is version 2 by default (every end fences), version 3 when its
 * config asks for {@link WakeProtocol#MEMBARRIER} (its sleepers issue membarrier, so the ends of a registered process
 * skip the notifier's fence); any other version is refused.
 */
class RingLayoutVersionTest
{
    private final Path path = TestPaths.uniqueShmPath("layout-version");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldCreateVersion2RingsByDefault()
    {
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096));
            SpscProducer producer = new SpscProducer(file);
            SpscConsumer consumer = new SpscConsumer(file))
        {
            assertEquals(RingDescriptor.LAYOUT_VERSION_FENCED, file.layoutVersion());
            assertEquals(WakeProtocol.FENCED, file.wakeProtocol());
            assertModes(Eventcount.Mode.FENCED, producer.wakeups(), consumer.wakeups());
        }
    }

    @Test
    void shouldCreateVersion3RingsWhoseEndsSkipTheNotifierFenceWhenAskedFor()
    {
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096).withWakeProtocol(WakeProtocol.MEMBARRIER));
            SpscProducer producer = new SpscProducer(file);
            SpscConsumer consumer = new SpscConsumer(file))
        {
            assertEquals(RingDescriptor.LAYOUT_VERSION_MEMBARRIER, file.layoutVersion());
            assertEquals(WakeProtocol.MEMBARRIER, file.wakeProtocol());
            final Eventcount.Mode expected = Membarrier.isRegistered() ? Eventcount.Mode.MEMBARRIER : Eventcount.Mode.FENCED_POLLING;
            assertModes(expected, producer.wakeups(), consumer.wakeups());
        }
    }

    @Test
    void shouldKeepTheNotifierFenceOnAVersion2RingWrittenOverAVersion3One() throws Exception
    {
        RingFile.create(path, RingConfig.spsc(4096).withWakeProtocol(WakeProtocol.MEMBARRIER)).close();
        writeVersion(RingDescriptor.LAYOUT_VERSION_FENCED); // the bytes of version 2 and 3 differ only here
        try (RingFile file = RingFile.open(path, RingKind.SPSC);
            SpscProducer producer = new SpscProducer(file);
            SpscConsumer consumer = new SpscConsumer(file, new BlockingWaitStrategy(0, 0, TimeUnit.SECONDS.toNanos(30))))
        {
            assertEquals(RingDescriptor.LAYOUT_VERSION_FENCED, file.layoutVersion());
            assertEquals(WakeProtocol.FENCED, file.wakeProtocol());
            assertModes(Eventcount.Mode.FENCED, producer.wakeups(), consumer.wakeups());

            // and its wake path works: the consumer sleeps (30 s slices), the producer's fenced signal wakes it
            final CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> take(consumer));
            awaitSleeping(consumer.wakeups().notEmpty());
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(1, taken.get(60, TimeUnit.SECONDS)); // only a hang takes this long
            assertEquals(1, producer.wakeups().notEmpty().wakeCalls(), producer.wakeups().toString());
        }
    }

    @Test
    void shouldRefuseALayoutVersionItDoesNotKnow() throws IOException
    {
        RingFile.create(path, RingConfig.spsc(4096)).close();
        writeVersion(4);
        final InvalidRingFileException refused = assertThrows(InvalidRingFileException.class, () -> RingFile.open(path));
        assertTrue(refused.getMessage().contains("unsupported layout version: version=4 supported=2,3"), refused.getMessage());
    }

    private static void assertModes(final Eventcount.Mode expected, final RingWakeups producer, final RingWakeups consumer)
    {
        assertEquals(expected, producer.notEmpty().mode(), producer.toString());
        assertEquals(expected, producer.notFull().mode(), producer.toString());
        assertEquals(expected, consumer.notEmpty().mode(), consumer.toString());
        assertEquals(expected, consumer.notFull().mode(), consumer.toString());
    }

    private static int take(final SpscConsumer consumer)
    {
        try
        {
            return consumer.take((typeId, buffer, offset, length) -> { }, 1, 60, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitSleeping(final Eventcount line) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (line.waitCalls() == 0) // a native sleep began (or was about to): the signal must wake it
        {
            assertTrue(System.nanoTime() - deadline < 0, "the consumer never slept: " + line); // only a hang
            Thread.sleep(1);
        }
    }

    private void writeVersion(final int version) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, version);
            channel.write(bytes, RingDescriptor.LAYOUT_VERSION_OFFSET);
        }
    }
}
