package io.shmring.sync.internal;

import com.sun.jna.Native;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A {@code struct timespec} (two 64-bit fields on LP64 Linux: seconds, nanoseconds) in native
 * memory allocated once, so a timed wait passes a pointer without allocating. Used by one thread.
 */
final class NativeTimespec
{
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SECONDS_OFFSET = 0;
    private static final int NANOS_OFFSET = SECONDS_OFFSET + Long.BYTES;
    private static final int LENGTH = NANOS_OFFSET + Long.BYTES;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));

    /**
     * @return the address to pass to native code.
     */
    long address()
    {
        return buffer.addressOffset();
    }

    /**
     * Set to a duration, for calls that take a relative timeout (FUTEX_WAIT).
     *
     * @param nanos duration, {@code >= 0}.
     * @return the address of the timespec.
     */
    long relative(final long nanos)
    {
        buffer.putLong(SECONDS_OFFSET, nanos / NANOS_PER_SECOND);
        buffer.putLong(NANOS_OFFSET, nanos % NANOS_PER_SECOND);
        return buffer.addressOffset();
    }

    /**
     * Set to "now on {@code clockId}, plus {@code nanos}", for calls that take an absolute deadline.
     *
     * @param clockId CLOCK_MONOTONIC or CLOCK_REALTIME.
     * @param nanos   duration from now, {@code >= 0}.
     * @return the address of the timespec.
     */
    long absolute(final int clockId, final long nanos)
    {
        final long address = buffer.addressOffset();
        if (LibC.clock_gettime(clockId, address) != 0)
        {
            throw new IllegalStateException("clock_gettime failed: clockId=" + clockId + " errno=" + Native.getLastError());
        }
        final long totalNanos = buffer.getLong(NANOS_OFFSET) + nanos % NANOS_PER_SECOND;
        buffer.putLong(SECONDS_OFFSET,
            buffer.getLong(SECONDS_OFFSET) + nanos / NANOS_PER_SECOND + totalNanos / NANOS_PER_SECOND);
        buffer.putLong(NANOS_OFFSET, totalNanos % NANOS_PER_SECOND);
        return address;
    }
}
