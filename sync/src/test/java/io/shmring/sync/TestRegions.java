package io.shmring.sync;

import io.shmring.core.internal.MappedRegion;
import io.shmring.core.internal.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique mapped files for tests, so concurrent test runs on one machine never share one.
 */
final class TestRegions
{
    private TestRegions()
    {
    }

    static Path uniquePath(final String prefix)
    {
        return SharedMemoryDirectory.resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    static MappedRegion create(final String prefix, final int length)
    {
        return MappedRegion.create(uniquePath(prefix), length);
    }

    static void closeAndDelete(final MappedRegion region)
    {
        if (region != null)
        {
            region.close();
            region.delete();
        }
    }
}
