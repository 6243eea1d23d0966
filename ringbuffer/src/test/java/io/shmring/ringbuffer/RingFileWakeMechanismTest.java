package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.WakeMechanism;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RingFileWakeMechanismTest
{
    private RingFile file;

    @AfterEach
    void tearDown()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldDefaultToFutexWakeMechanism()
    {
        file = RingFile.create(TestRings.uniquePath("wake-mechanism-test"), RingConfig.spsc(4096));

        assertEquals(WakeMechanism.FUTEX, file.wakeMechanism());
        assertEquals(WakeMechanism.FUTEX.code(), file.buffer().getInt(RingDescriptor.WAKE_MECHANISM_OFFSET));
    }

    @Test
    void shouldRecordSemaphoreWakeMechanismForEveryProcessThatOpensTheRing()
    {
        assumeTrue(WakeMechanism.SEMAPHORE.isSupported());
        final Path path = TestRings.uniquePath("wake-mechanism-test");
        file = RingFile.create(path, RingConfig.spsc(4096).withWakeMechanism(WakeMechanism.SEMAPHORE));

        try (RingFile opened = RingFile.open(path))
        {
            assertEquals(WakeMechanism.SEMAPHORE, opened.wakeMechanism());
        }
    }

    @Test
    void shouldRejectRingFileWithUnknownWakeMechanism()
    {
        final Path path = TestRings.uniquePath("wake-mechanism-test");
        file = RingFile.create(path, RingConfig.spsc(4096));
        file.buffer().putInt(RingDescriptor.WAKE_MECHANISM_OFFSET, 9);

        final InvalidRingFileException ex = assertThrows(InvalidRingFileException.class, () -> RingFile.open(path));
        assertTrue(ex.getMessage().contains("wakeMechanism=9"), ex.getMessage());
    }
}
