package io.shmring.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * An in-memory byte stream for benchmarks: what is written is read back, through one direct buffer
 * allocated up front, with absolute bulk copies (nothing allocated per call). Reads never block: an
 * empty channel reads 0. One thread writes and reads.
 */
final class LoopbackChannel implements WritableByteChannel, ReadableByteChannel
{
    private final ByteBuffer bytes;
    private int readIndex;
    private int writeIndex;

    /**
     * @param capacity most unread bytes held at once.
     */
    LoopbackChannel(final int capacity)
    {
        bytes = ByteBuffer.allocateDirect(capacity);
    }

    @Override
    public int write(final ByteBuffer src)
    {
        final int length = src.remaining();
        if (readIndex == writeIndex)
        {
            readIndex = 0;
            writeIndex = 0;
        }
        if (writeIndex + length > bytes.capacity())
        {
            throw new IllegalStateException("loopback channel full: unread=" + (writeIndex - readIndex) + " length=" + length +
                " capacity=" + bytes.capacity());
        }
        bytes.put(writeIndex, src, src.position(), length);
        src.position(src.position() + length);
        writeIndex += length;
        return length;
    }

    @Override
    public int read(final ByteBuffer dst)
    {
        final int length = Math.min(writeIndex - readIndex, dst.remaining());
        dst.put(dst.position(), bytes, readIndex, length);
        dst.position(dst.position() + length);
        readIndex += length;
        return length;
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
