package io.shmring.ringbuffer;

import com.sun.jna.Native;

import java.nio.file.Path;

/**
 * Allocates the pages of a ring file that has holes, with {@code fallocate(2)} (mode 0: holes only, data untouched,
 * safe beside processes using the file), so that a page that cannot be backed — a sparse ring on a full tmpfs — is an
 * error code at open rather than a SIGBUS at first touch, which the JVM reports late and anywhere, or not at all in
 * native code. Linux, through JNA's direct mapping of the C library; where either is missing it does nothing.
 */
final class FileSpace
{
    /** {@link #allocate} result: every page is backed (or this platform cannot tell). */
    static final int ALLOCATED = 0;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    /** errno: the file system does not implement fallocate. */
    private static final int EOPNOTSUPP = 95;

    private static final boolean LOADED = register();

    private FileSpace()
    {
    }

    private static boolean register()
    {
        try
        {
            Native.register(FileSpace.class, "c");
            return true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * @param path   the file.
     * @param length bytes from offset 0 to back.
     * @return {@link #ALLOCATED}, or the errno of the failure (28 = ENOSPC: the file system is full).
     */
    static int allocate(final Path path, final long length)
    {
        if (!LOADED)
        {
            return ALLOCATED;
        }
        final int fd = open(path.toString(), O_RDWR | O_CLOEXEC);
        if (fd < 0)
        {
            return ALLOCATED; // the mapping was made through another descriptor; prefaulting still reports a fault
        }
        try
        {
            final int errno = fallocate(fd, 0, 0, length) == 0 ? ALLOCATED : Native.getLastError();
            return errno == EOPNOTSUPP ? ALLOCATED : errno;
        }
        finally
        {
            close(fd);
        }
    }

    private static native int open(String path, int flags);

    private static native int fallocate(int fd, int mode, long offset, long length);

    private static native int close(int fd);
}
