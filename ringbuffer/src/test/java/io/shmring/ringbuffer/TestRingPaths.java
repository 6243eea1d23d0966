package io.shmring.ringbuffer;

import io.shmring.core.ProcessIdentity;
import io.shmring.core.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique ring file names for tests that run beside other people's tests.
 */
final class TestRingPaths
{
    private TestRingPaths()
    {
    }

    static Path unique(final String name)
    {
        return SharedMemoryDirectory.resolve("shmring-test-" + name + "-" + ProcessIdentity.currentPid() + "-" +
            System.nanoTime() + "-" + ThreadLocalRandom.current().nextInt(1_000_000));
    }
}
