package io.shmring.ringbuffer;

import io.shmring.core.internal.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique ring file names for tests, so concurrent test runs on one machine never share one.
 */
final class TestRings
{
    private TestRings()
    {
    }

    static Path uniquePath(final String prefix)
    {
        return SharedMemoryDirectory.resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    static void closeAndDelete(final RingFile file)
    {
        if (file != null)
        {
            file.close();
            file.delete();
        }
    }
}
