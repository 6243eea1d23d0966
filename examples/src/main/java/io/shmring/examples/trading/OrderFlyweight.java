package io.shmring.examples.trading;


/**
 * An order from a strategy to the gateway, read and written in place like {@link TickFlyweight}.
 * It carries the publish time of the tick that caused it, so the gateway can measure tick-to-order latency
 * end to end across three processes. Little-endian, 8-aligned fields:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Order Sequence (int64, per strategy)          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Tick Sequence (int64, the cause)              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Tick Publish Time (int64, System.nanoTime)        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Send Time (int64, System.nanoTime)             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Price (int64, TickFlyweight.PRICE_SCALE per unit)    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Strategy Id (int32)                      |
 *  +---------------------------------------------------------------+
 *  |                     Instrument Id (int32)                     |
 *  +---------------------------------------------------------------+
 *  |                       Quantity (int32)                        |
 *  +---------------------------------------------------------------+
 *  |                   Side (int32: BUY or SELL)                   |
 *  +---------------------------------------------------------------+
 * </pre>
 * An order has type id {@link #TYPE_ID}. A strategy's last frame has type id {@link #END_TYPE_ID} and the
 * same layout, its order sequence being the number of orders that strategy sent, so the gateway can check
 * it received every one.
 */
public final class OrderFlyweight extends Flyweight<OrderFlyweight>
{
    /** Type id of an order frame. */
    public static final int TYPE_ID = 10;
    /** Type id of a strategy's last frame: its order sequence is the count of orders it sent. */
    public static final int END_TYPE_ID = 11;

    /** Side: buy. */
    public static final int BUY = 1;
    /** Side: sell. */
    public static final int SELL = 2;

    /** Sequence number among this strategy's orders, from 0: int64. */
    public static final int ORDER_SEQUENCE_OFFSET = 0;
    /** Sequence of the tick that caused the order: int64. */
    public static final int TICK_SEQUENCE_OFFSET = ORDER_SEQUENCE_OFFSET + Long.BYTES;
    /** That tick's publish time: int64. */
    public static final int TICK_PUBLISH_NANOS_OFFSET = TICK_SEQUENCE_OFFSET + Long.BYTES;
    /** {@link System#nanoTime()} when the strategy wrote the order: int64. */
    public static final int SEND_NANOS_OFFSET = TICK_PUBLISH_NANOS_OFFSET + Long.BYTES;
    /** Limit price in units of 1 / {@link TickFlyweight#PRICE_SCALE}: int64. */
    public static final int PRICE_OFFSET = SEND_NANOS_OFFSET + Long.BYTES;
    /** Id of the strategy that sent it: int32. */
    public static final int STRATEGY_ID_OFFSET = PRICE_OFFSET + Long.BYTES;
    /** Instrument id: int32. */
    public static final int INSTRUMENT_ID_OFFSET = STRATEGY_ID_OFFSET + Integer.BYTES;
    /** Quantity: int32. */
    public static final int QUANTITY_OFFSET = INSTRUMENT_ID_OFFSET + Integer.BYTES;
    /** {@link #BUY} or {@link #SELL}: int32. */
    public static final int SIDE_OFFSET = QUANTITY_OFFSET + Integer.BYTES;
    /** Payload length of an order. */
    public static final int LENGTH = SIDE_OFFSET + Integer.BYTES;

    /**
     * A flyweight to wrap over orders payloads; reuse one per thread.
     */
    public OrderFlyweight()
    {
        super("order", LENGTH);
    }

    @Override
    OrderFlyweight self()
    {
        return this;
    }

    /**
     * @return the order's sequence among its strategy's orders.
     */
    public long orderSequence()
    {
        return buffer.getLong(offset + ORDER_SEQUENCE_OFFSET);
    }

    /**
     * @param orderSequence the order's sequence among its strategy's orders.
     * @return this.
     */
    public OrderFlyweight orderSequence(final long orderSequence)
    {
        writable().putLong(offset + ORDER_SEQUENCE_OFFSET, orderSequence);
        return this;
    }

    /**
     * @return the sequence of the tick that caused the order.
     */
    public long tickSequence()
    {
        return buffer.getLong(offset + TICK_SEQUENCE_OFFSET);
    }

    /**
     * @param tickSequence the sequence of the tick that caused the order.
     * @return this.
     */
    public OrderFlyweight tickSequence(final long tickSequence)
    {
        writable().putLong(offset + TICK_SEQUENCE_OFFSET, tickSequence);
        return this;
    }

    /**
     * @return the publish time of the tick that caused the order.
     */
    public long tickPublishNanos()
    {
        return buffer.getLong(offset + TICK_PUBLISH_NANOS_OFFSET);
    }

    /**
     * @param tickPublishNanos the publish time of the tick that caused the order.
     * @return this.
     */
    public OrderFlyweight tickPublishNanos(final long tickPublishNanos)
    {
        writable().putLong(offset + TICK_PUBLISH_NANOS_OFFSET, tickPublishNanos);
        return this;
    }

    /**
     * @return the strategy's {@link System#nanoTime()} when it wrote the order.
     */
    public long sendNanos()
    {
        return buffer.getLong(offset + SEND_NANOS_OFFSET);
    }

    /**
     * @param sendNanos {@link System#nanoTime()} now.
     * @return this.
     */
    public OrderFlyweight sendNanos(final long sendNanos)
    {
        writable().putLong(offset + SEND_NANOS_OFFSET, sendNanos);
        return this;
    }

    /**
     * @return the limit price in units of 1 / {@link TickFlyweight#PRICE_SCALE}.
     */
    public long price()
    {
        return buffer.getLong(offset + PRICE_OFFSET);
    }

    /**
     * @param price the limit price in units of 1 / {@link TickFlyweight#PRICE_SCALE}.
     * @return this.
     */
    public OrderFlyweight price(final long price)
    {
        writable().putLong(offset + PRICE_OFFSET, price);
        return this;
    }

    /**
     * @return the id of the strategy that sent the order.
     */
    public int strategyId()
    {
        return buffer.getInt(offset + STRATEGY_ID_OFFSET);
    }

    /**
     * @param strategyId the id of the strategy sending the order.
     * @return this.
     */
    public OrderFlyweight strategyId(final int strategyId)
    {
        writable().putInt(offset + STRATEGY_ID_OFFSET, strategyId);
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
    public OrderFlyweight instrumentId(final int instrumentId)
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
    public OrderFlyweight quantity(final int quantity)
    {
        writable().putInt(offset + QUANTITY_OFFSET, quantity);
        return this;
    }

    /**
     * @return {@link #BUY} or {@link #SELL}.
     */
    public int side()
    {
        return buffer.getInt(offset + SIDE_OFFSET);
    }

    /**
     * @param side {@link #BUY} or {@link #SELL}.
     * @return this.
     * @throws IllegalArgumentException for any other value.
     */
    public OrderFlyweight side(final int side)
    {
        if (side != BUY && side != SELL)
        {
            throw new IllegalArgumentException("side must be BUY (1) or SELL (2): side=" + side);
        }
        writable().putInt(offset + SIDE_OFFSET, side);
        return this;
    }
}
