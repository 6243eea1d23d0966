package io.shmring.core.test;

import io.shmring.core.internal.SharedMemoryDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique file names in the shared-memory directory, so tests running at the same time never meet.
 */
public final class TestPaths
{
    private TestPaths()
    {
    }

    /**
     * @param prefix readable part of the name.
     * @return a path in {@link SharedMemoryDirectory} that does not exist yet.
     */
    public static Path uniqueShmPath(final String prefix)
    {
        return SharedMemoryDirectory.resolve("shmring-test-" + prefix + "-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
    }

    /**
     * @return mode 0600 for a file a test makes by hand where shmring will use it (as shmring makes its files, and
     * as a creator of another implementation must: docs/LAYOUT.md 1.2), so its owner and mode pass the checks.
     */
    public static FileAttribute<Set<PosixFilePermission>> ownerOnly()
    {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * @param path file to remove if present.
     */
    public static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
