package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring opened read-only ({@link RingFile#openReadOnly}) reads what the writers see and refuses, before any store,
 * everything that would write: a store into a read-only mapping would kill the JVM.
 */
class RingFileReadOnlyTest
{
    @Test
    void shouldReadPositionsAndPartiesOfAnSpscRingInUse() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("ro-spsc");
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096));
             SpscProducer producer = new SpscProducer(file);
             SpscConsumer consumer = new SpscConsumer(file))
        {
            assertTrue(producer.offer(7, new UnsafeBuffer(new byte[24]), 0, 24));
            assertTrue(producer.offer(7, new UnsafeBuffer(new byte[24]), 0, 24));
            assertEquals(1, consumer.poll((t, b, o, l) -> { }, 1));
            try (RingFile inspected = RingFile.openReadOnly(path))
            {
                assertTrue(inspected.isReadOnly());
                assertEquals(file.producerPosition(), inspected.producerPosition());
                assertEquals(file.consumerPosition(), inspected.consumerPosition());
                assertEquals(32, inspected.size(), "one 24-byte message and its 8-byte header pending");
                assertEquals(ProcessHandle.current().pid(), inspected.consumerStatus().pid());
                assertEquals(ProcessHandle.current().pid(), inspected.producerStatus().pid());
            }
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldRefuseEveryEndAndDeletionWithoutChangingAByte() throws Exception
    {
        for (final RingConfig config : new RingConfig[]{RingConfig.spsc(4096), RingConfig.mpsc(4096)})
        {
            final Path path = TestPaths.uniqueShmPath("ro-refuse");
            try
            {
                RingFile.create(path, config).close();
                final byte[] before = Files.readAllBytes(path);
                try (RingFile inspected = RingFile.openReadOnly(path))
                {
                    final boolean spsc = config.kind() == RingKind.SPSC;
                    assertRefused(path, inspected, spsc ? SpscProducer::new : MpscProducer::new);
                    assertRefused(path, inspected, spsc ? SpscConsumer::new : MpscConsumer::new);
                    assertRefused(path, inspected, RingFile::delete);
                    assertRefused(path, inspected, RingFile::deleteIfIdle);
                }
                assertTrue(Files.exists(path));
                assertArrayEquals(before, Files.readAllBytes(path), "a read-only open wrote into " + path);
            }
            finally
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotARingAsTheReadWriteOpenDoes() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("ro-garbage");
        try
        {
            final byte[] garbage = new byte[3 * 4096];
            Arrays.fill(garbage, (byte)0x5A);
            Files.write(path, garbage);
            final InvalidRingFileException ex = assertThrows(InvalidRingFileException.class, () -> RingFile.openReadOnly(path));
            assertTrue(ex.getMessage().contains("magic=0x5a5a5a5a5a5a5a5a"), ex.getMessage());
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    private static void assertRefused(final Path path, final RingFile inspected, final Consumer<RingFile> write)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> write.accept(inspected));
        assertTrue(ex.getMessage().contains("read-only") && ex.getMessage().contains(path.toString()), ex.getMessage());
    }
}
