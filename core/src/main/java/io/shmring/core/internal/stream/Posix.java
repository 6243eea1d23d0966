package io.shmring.core.internal.stream;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the FIFO and pipe transports need, bound with JNA direct mapping (a plain native
 * call, no reflection per call). Errors come back as -1 with the code in {@link Native#getLastError()}.
 * Pointers are passed as {@code long} addresses (64-bit Linux only, like the rest of shmring).
 */
final class Posix
{
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EEXIST = 17;
    static final int ENOENT = 2;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    /** Size of {@code struct pollfd}: int fd, short events, short revents. */
    static final int POLLFD_LENGTH = 8;
    /** Size of {@code struct iovec}: void *base, size_t length. */
    static final int IOVEC_LENGTH = 16;

    static
    {
        Native.register(Posix.class, Platform.C_LIBRARY_NAME);
    }

    private Posix()
    {
    }

    static native int mkfifo(String path, int mode);

    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    static native long read(int fd, long address, long count);

    static native long write(int fd, long address, long count);

    static native long writev(int fd, long iovecAddress, int count);

    static native int poll(long pollfdAddress, long count, int timeoutMs);

    static native int fcntl(int fd, int command, int argument);

    static native int dup2(int oldFd, int newFd);

    static native int getuid();

    static native String strerror(int errno);

    /**
     * @param call what failed.
     * @return a message naming the call and the errno.
     */
    static String describeLastError(final String call)
    {
        final int errno = Native.getLastError();
        return call + " failed: errno=" + errno + " (" + strerror(errno) + ")";
    }
}
