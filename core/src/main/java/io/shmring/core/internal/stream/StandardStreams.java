package io.shmring.core.internal.stream;

/**
 * This process's stdin and stdout as raw descriptors for the {@code pipe:} transport.
 * <p>
 * Once a transport owns one of them, {@code System.in} / {@code System.out} must not be used: their
 * buffered bytes would interleave with frames. Closing the transport points the descriptor at
 * {@code /dev/null} ({@code dup2}) rather than closing it, so the peer sees the end of the stream and
 * the descriptor number is never reused by an unrelated file that {@code System.out} would then write.
 */
final class StandardStreams
{
    static final int STDIN = 0;
    static final int STDOUT = 1;

    private StandardStreams()
    {
    }

    /**
     * @return stdin; reads poll first, its flags untouched (other processes may share it).
     */
    static FdChannel stdin()
    {
        return new FdChannel(STDIN, "stdin", FdChannel.ReadMode.POLL_FIRST, false);
    }

    /**
     * @return stdout, written with blocking writes.
     */
    static FdChannel stdout()
    {
        return new FdChannel(STDOUT, "stdout", FdChannel.ReadMode.POLL_FIRST, false);
    }

    /**
     * Replace a standard descriptor by {@code /dev/null}, closing this process's end of the pipe.
     *
     * @param fd 0 or 1.
     */
    static void detach(final int fd)
    {
        final int devNull = Posix.open("/dev/null", fd == STDIN ? Posix.O_RDONLY : Posix.O_WRONLY, 0);
        if (devNull < 0)
        {
            throw new IllegalStateException(Posix.describeLastError("open /dev/null"));
        }
        try
        {
            if (Posix.dup2(devNull, fd) < 0)
            {
                throw new IllegalStateException(Posix.describeLastError("dup2 /dev/null onto fd " + fd));
            }
        }
        finally
        {
            Posix.close(devNull);
        }
    }
}
