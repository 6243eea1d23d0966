package io.shmring.core.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where ring files go when a caller names no directory: {@code /dev/shm} on Linux (RAM-backed, so
 * the kernel never writes the pages to disk), the JVM's temp directory elsewhere.
 */
public final class SharedMemoryDirectory
{
    /** The Linux RAM file system every process can map. */
    public static final Path LINUX_SHM = Paths.get("/dev/shm");

    private SharedMemoryDirectory()
    {
    }

    /**
     * @return {@code /dev/shm} when it is a writable directory, else {@code java.io.tmpdir}.
     */
    public static Path get()
    {
        if (Files.isDirectory(LINUX_SHM) && Files.isWritable(LINUX_SHM))
        {
            return LINUX_SHM;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * @param name a file name.
     * @return that name in the default directory.
     */
    public static Path resolve(final String name)
    {
        return get().resolve(name);
    }
}
