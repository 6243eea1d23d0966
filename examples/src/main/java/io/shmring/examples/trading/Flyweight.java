package io.shmring.examples.trading;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What every fixed-layout flyweight here shares: wrapping a payload for reading or writing after
 * checking that the whole layout fits, so no accessor can read or write outside the message.
 *
 * @param <F> the concrete flyweight, returned by the wrap methods for chaining.
 */
abstract class Flyweight<F extends Flyweight<F>>
{
    private final String name;
    private final int length;
    private MutableDirectBuffer writableBuffer;
    DirectBuffer buffer;
    int offset;

    /**
     * @param name   what the layout holds, for error messages ("tick", "order").
     * @param length payload bytes of the layout.
     */
    Flyweight(final String name, final int length)
    {
        this.name = name;
        this.length = length;
    }

    /**
     * @param buffer where a received message is, e.g. the buffer a handler is given.
     * @param offset the payload's offset in it.
     * @return this, to read the message.
     * @throws IllegalArgumentException if the layout would not fit in the buffer.
     */
    public F wrapForRead(final DirectBuffer buffer, final int offset)
    {
        checkFits(buffer, offset);
        this.buffer = buffer;
        this.writableBuffer = null;
        this.offset = offset;
        return self();
    }

    /**
     * @param buffer where the message is written, e.g. a producer's buffer at a claimed index.
     * @param offset the payload's offset in it.
     * @return this, to write (and read) the message.
     * @throws IllegalArgumentException if the layout would not fit in the buffer.
     */
    public F wrapForWrite(final MutableDirectBuffer buffer, final int offset)
    {
        checkFits(buffer, offset);
        this.buffer = buffer;
        this.writableBuffer = buffer;
        this.offset = offset;
        return self();
    }

    /**
     * @return the wrapped payload's offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return this, typed as the concrete flyweight.
     */
    abstract F self();

    MutableDirectBuffer writable()
    {
        if (writableBuffer == null)
        {
            throw new IllegalStateException(name + " is not wrapped for writing: use wrapForWrite");
        }
        return writableBuffer;
    }

    private void checkFits(final DirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException(name + " does not fit in the buffer: offset=" + offset + " length=" +
                length + " capacity=" + buffer.capacity());
        }
    }
}
