package io.shmring.sync.internal;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Turns (buffer, offset) into a native address after checking that native code may use it, so a
 * bad argument is an exception here rather than a fault in the kernel or the C library.
 */
final class NativeAddresses
{
    private NativeAddresses()
    {
    }

    static long address(
        final AtomicBuffer buffer, final int offset, final int length, final int alignment, final String what)
    {
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException(what + " must be in off-heap (mapped) memory: buffer is a heap array");
        }
        if (offset < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException(what + " out of bounds: offset=" + offset + " length=" + length +
                " capacity=" + buffer.capacity());
        }
        final long address = buffer.addressOffset() + offset;
        if ((address & (alignment - 1)) != 0)
        {
            throw new IllegalArgumentException(what + " must be " + alignment + "-byte aligned: offset=" + offset +
                " address=0x" + Long.toHexString(address));
        }
        return address;
    }
}
