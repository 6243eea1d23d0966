package io.shmring.core.internal.stream;

import com.sun.jna.Native;
import org.agrona.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A byte channel over a raw file descriptor (a FIFO end, or this process's stdin/stdout), reading and
 * writing direct buffers with {@code read}, {@code write} and {@code writev} through {@link Posix}, and
 * waiting for input with {@code poll(2)}.
 * <p>
 * Reads never block: a non-blocking descriptor answers EAGAIN, and a blocking one (stdin, which other
 * processes may share, so its flags are left alone) is asked with a zero-timeout {@code poll} first.
 * A FIFO opened for reading before any writer reads 0 bytes, which is not an end of stream until a
 * writer has been seen (data, EAGAIN, or the POLLHUP Linux raises only once a writer came and went).
 */
final class FdChannel implements ReadableByteChannel, GatheringByteChannel
{
    /** How reads avoid blocking and how an empty read is read. */
    enum ReadMode
    {
        /** Non-blocking descriptor: EAGAIN means nothing now, 0 bytes means end of stream. */
        NON_BLOCKING,
        /** Blocking descriptor: poll before reading. */
        POLL_FIRST,
        /** Non-blocking FIFO read end: 0 bytes before any writer was seen means "no writer yet". */
        FIFO_READER
    }

    private static final int MAX_IOVECS = 16;
    /** Native poll ignores Thread.interrupt(): waits are cut in slices this long to check it. */
    private static final int WAIT_SLICE_MS = 10;

    private final int fd;
    private final String name;
    private final ReadMode readMode;
    private final ByteBuffer pollfd = ByteBuffer.allocateDirect(Posix.POLLFD_LENGTH).order(ByteOrder.nativeOrder());
    private final long pollfdAddress = BufferUtil.address(pollfd);
    private final ByteBuffer iovecs = ByteBuffer.allocateDirect(MAX_IOVECS * Posix.IOVEC_LENGTH).order(ByteOrder.nativeOrder());
    private final long iovecsAddress = BufferUtil.address(iovecs);
    private final boolean closeFd;

    private boolean writerSeen;
    private boolean open = true;

    /**
     * @param fd       the descriptor.
     * @param name     what it is, for messages.
     * @param readMode how reads avoid blocking.
     * @param closeFd  whether {@link #close()} closes the descriptor (not for stdin/stdout).
     */
    FdChannel(final int fd, final String name, final ReadMode readMode, final boolean closeFd)
    {
        this.fd = fd;
        this.name = name;
        this.readMode = readMode;
        this.closeFd = closeFd;
        pollfd.putInt(0, fd);
        pollfd.putShort(Integer.BYTES, Posix.POLLIN);
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        checkOpen();
        if (readMode == ReadMode.POLL_FIRST && pollEvents(0) == 0)
        {
            return 0;
        }
        while (true)
        {
            final long bytes = Posix.read(fd, address(dst) + dst.position(), dst.remaining());
            if (bytes > 0)
            {
                writerSeen = true;
                dst.position(dst.position() + (int)bytes);
                return (int)bytes;
            }
            if (bytes == 0)
            {
                return endOfStreamOrNothing();
            }
            final int errno = Native.getLastError();
            if (errno == Posix.EAGAIN)
            {
                writerSeen = true; // EAGAIN only while a writer holds the FIFO open
                return 0;
            }
            if (errno != Posix.EINTR)
            {
                throw new IOException(Posix.describeLastError("read " + name));
            }
        }
    }

    private int endOfStreamOrNothing()
    {
        if (readMode != ReadMode.FIFO_READER || writerSeen)
        {
            return -1;
        }
        if ((pollEvents(0) & Posix.POLLHUP) != 0)
        {
            writerSeen = true;
            return -1;
        }
        return 0;
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        checkOpen();
        while (true)
        {
            final long bytes = Posix.write(fd, address(src) + src.position(), src.remaining());
            if (bytes >= 0)
            {
                src.position(src.position() + (int)bytes);
                return (int)bytes;
            }
            if (Native.getLastError() != Posix.EINTR)
            {
                throw new IOException(Posix.describeLastError("write " + name));
            }
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        checkOpen();
        int count = 0;
        for (int i = offset; i < offset + length && count < MAX_IOVECS; i++)
        {
            final ByteBuffer src = srcs[i];
            if (src.hasRemaining())
            {
                iovecs.putLong(count * Posix.IOVEC_LENGTH, address(src) + src.position());
                iovecs.putLong(count * Posix.IOVEC_LENGTH + Long.BYTES, src.remaining());
                count++;
            }
        }
        if (count == 0)
        {
            return 0;
        }
        long bytes;
        do
        {
            bytes = Posix.writev(fd, iovecsAddress, count);
        }
        while (bytes < 0 && Native.getLastError() == Posix.EINTR);
        if (bytes < 0)
        {
            throw new IOException(Posix.describeLastError("writev " + name));
        }
        long left = bytes;
        for (int i = offset; i < offset + length && left > 0; i++)
        {
            final ByteBuffer src = srcs[i];
            final int taken = (int)Math.min(left, src.remaining());
            src.position(src.position() + taken);
            left -= taken;
        }
        return bytes;
    }

    @Override
    public long write(final ByteBuffer[] srcs) throws IOException
    {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Wait until input (or the end of the stream) is there, or the timeout passes.
     *
     * @param timeoutNanos longest wait.
     * @throws InterruptedException if the thread is interrupted (seen within {@link #WAIT_SLICE_MS}).
     * @throws IOException          if poll fails.
     */
    void awaitReadable(final long timeoutNanos) throws InterruptedException, IOException
    {
        checkOpen();
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("wait for input interrupted: " + name);
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return;
            }
            final int sliceMs = (int)Math.min(WAIT_SLICE_MS, Math.max(1, (remaining + 999_999) / 1_000_000));
            if (pollEvents(sliceMs) != 0)
            {
                return;
            }
        }
    }

    private int pollEvents(final int timeoutMs)
    {
        pollfd.putShort(Integer.BYTES + Short.BYTES, (short)0);
        final int ready = Posix.poll(pollfdAddress, 1, timeoutMs);
        if (ready <= 0)
        {
            return 0; // timeout, or EINTR: the caller polls again or reads
        }
        final int revents = pollfd.getShort(Integer.BYTES + Short.BYTES);
        if ((revents & Posix.POLLNVAL) != 0)
        {
            throw new IllegalStateException("poll on a closed descriptor: fd=" + fd + " " + name);
        }
        return revents;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public void close() throws IOException
    {
        if (open)
        {
            open = false;
            if (closeFd && Posix.close(fd) != 0)
            {
                throw new IOException(Posix.describeLastError("close " + name));
            }
        }
    }

    private void checkOpen() throws IOException
    {
        if (!open)
        {
            throw new ClosedChannelException();
        }
    }

    private static long address(final ByteBuffer buffer)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("only direct buffers: buffer=" + buffer);
        }
        return BufferUtil.address(buffer);
    }

    @Override
    public String toString()
    {
        return name + "(fd=" + fd + ")";
    }
}
