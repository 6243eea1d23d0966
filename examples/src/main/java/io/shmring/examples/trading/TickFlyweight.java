package io.shmring.examples.trading;


/**
 * A market-data tick read and written in place, in a ring's mapped memory: wrap it over a claimed region
 * ({@link #wrapForWrite}) and set the fields, or over a received frame's payload ({@link #wrapForRead}) and
 * get them. No copy, no allocation. Little-endian, 8-aligned fields:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence (int64)                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Publish Time (int64, System.nanoTime)             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Price (int64, fixed point, PRICE_SCALE per unit)     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Instrument Id (int32)                     |
 *  +---------------------------------------------------------------+
 *  |                       Quantity (int32)                        |
 *  +---------------------------------------------------------------+
 * </pre>
 * A tick is sent with type id {@link #TYPE_ID}. The publisher's last frame on a ring has type id
 * {@link #END_TYPE_ID} and the same layout, its sequence being the number of ticks sent before it, so a
 * reader can check it saw every one. The publish time is {@link System#nanoTime()}, which on Linux is
 * one monotonic clock for every process of the machine, so a reader in another process can subtract it.
 */
public final class TickFlyweight extends Flyweight<TickFlyweight>
{
    /** Type id of a tick frame. */
    public static final int TYPE_ID = 1;
    /** Type id of the last frame on a ring: its sequence is the count of ticks sent. */
    public static final int END_TYPE_ID = 2;

    /** Sequence number on this ring, from 0: int64. */
    public static final int SEQUENCE_OFFSET = 0;
    /** {@link System#nanoTime()} when the publisher wrote the tick: int64. */
    public static final int PUBLISH_NANOS_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    /** Price in units of 1 / {@link #PRICE_SCALE}: int64. */
    public static final int PRICE_OFFSET = PUBLISH_NANOS_OFFSET + Long.BYTES;
    /** Instrument id: int32. */
    public static final int INSTRUMENT_ID_OFFSET = PRICE_OFFSET + Long.BYTES;
    /** Quantity: int32. */
    public static final int QUANTITY_OFFSET = INSTRUMENT_ID_OFFSET + Integer.BYTES;
    /** Payload length of a tick. */
    public static final int LENGTH = QUANTITY_OFFSET + Integer.BYTES;

    /** Price units per currency unit. */
    public static final long PRICE_SCALE = 10_000;

    /**
     * A flyweight to wrap over ticks payloads; reuse one per thread.
     */
    public TickFlyweight()
    {
        super("tick", LENGTH);
    }

    @Override
    TickFlyweight self()
    {
        return this;
    }

    /**
     * @return the sequence number.
     */
    public long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    /**
     * @param sequence the sequence number.
     * @return this.
     */
    public TickFlyweight sequence(final long sequence)
    {
        writable().putLong(offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /**
     * @return the publisher's {@link System#nanoTime()} when it wrote the tick.
     */
    public long publishNanos()
    {
        return buffer.getLong(offset + PUBLISH_NANOS_OFFSET);
    }

    /**
     * @param publishNanos {@link System#nanoTime()} now.
     * @return this.
     */
    public TickFlyweight publishNanos(final long publishNanos)
    {
        writable().putLong(offset + PUBLISH_NANOS_OFFSET, publishNanos);
        return this;
    }

    /**
     * @return the price in units of 1 / {@link #PRICE_SCALE}.
     */
    public long price()
    {
        return buffer.getLong(offset + PRICE_OFFSET);
    }

    /**
     * @param price the price in units of 1 / {@link #PRICE_SCALE}.
     * @return this.
     */
    public TickFlyweight price(final long price)
    {
        writable().putLong(offset + PRICE_OFFSET, price);
        return this;
    }

    /**
     * @return the instrument id.
     */
    public int instrumentId()
    {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET);
    }

    /**
     * @param instrumentId the instrument id.
     * @return this.
     */
    public TickFlyweight instrumentId(final int instrumentId)
    {
        writable().putInt(offset + INSTRUMENT_ID_OFFSET, instrumentId);
        return this;
    }

    /**
     * @return the quantity.
     */
    public int quantity()
    {
        return buffer.getInt(offset + QUANTITY_OFFSET);
    }

    /**
     * @param quantity the quantity.
     * @return this.
     */
    public TickFlyweight quantity(final int quantity)
    {
        writable().putInt(offset + QUANTITY_OFFSET, quantity);
        return this;
    }
}
