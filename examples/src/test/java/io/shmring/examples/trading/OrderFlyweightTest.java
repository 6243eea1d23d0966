package io.shmring.examples.trading;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrderFlyweightTest
{
    private static final int OFFSET = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);

    @Test
    void shouldHaveTheDocumentedEightAlignedLayout()
    {
        assertEquals(0, OrderFlyweight.ORDER_SEQUENCE_OFFSET);
        assertEquals(8, OrderFlyweight.TICK_SEQUENCE_OFFSET);
        assertEquals(16, OrderFlyweight.TICK_PUBLISH_NANOS_OFFSET);
        assertEquals(24, OrderFlyweight.SEND_NANOS_OFFSET);
        assertEquals(32, OrderFlyweight.PRICE_OFFSET);
        assertEquals(40, OrderFlyweight.STRATEGY_ID_OFFSET);
        assertEquals(44, OrderFlyweight.INSTRUMENT_ID_OFFSET);
        assertEquals(48, OrderFlyweight.QUANTITY_OFFSET);
        assertEquals(52, OrderFlyweight.SIDE_OFFSET);
        assertEquals(56, OrderFlyweight.LENGTH);
    }

    @Test
    void shouldReadBackWhatWasWrittenThroughAnotherFlyweight()
    {
        new OrderFlyweight().wrapForWrite(buffer, OFFSET)
            .orderSequence(7L).tickSequence(700L).tickPublishNanos(1_000L).sendNanos(2_000L).price(1_000_001L)
            .strategyId(2).instrumentId(11).quantity(300).side(OrderFlyweight.SELL);

        final OrderFlyweight order = new OrderFlyweight().wrapForRead(buffer, OFFSET);

        assertEquals(7L, order.orderSequence());
        assertEquals(700L, order.tickSequence());
        assertEquals(1_000L, order.tickPublishNanos());
        assertEquals(2_000L, order.sendNanos());
        assertEquals(1_000_001L, order.price());
        assertEquals(2, order.strategyId());
        assertEquals(11, order.instrumentId());
        assertEquals(300, order.quantity());
        assertEquals(OrderFlyweight.SELL, order.side());
    }

    @Test
    void shouldWriteLittleEndianFieldsAtTheirOffsets()
    {
        new OrderFlyweight().wrapForWrite(buffer, OFFSET)
            .orderSequence(1L).tickSequence(2L).tickPublishNanos(3L).sendNanos(4L).price(5L)
            .strategyId(6).instrumentId(7).quantity(8).side(OrderFlyweight.BUY);

        final ByteBuffer le = ByteBuffer.wrap(buffer.byteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1L, le.getLong(OFFSET + OrderFlyweight.ORDER_SEQUENCE_OFFSET));
        assertEquals(2L, le.getLong(OFFSET + OrderFlyweight.TICK_SEQUENCE_OFFSET));
        assertEquals(3L, le.getLong(OFFSET + OrderFlyweight.TICK_PUBLISH_NANOS_OFFSET));
        assertEquals(4L, le.getLong(OFFSET + OrderFlyweight.SEND_NANOS_OFFSET));
        assertEquals(5L, le.getLong(OFFSET + OrderFlyweight.PRICE_OFFSET));
        assertEquals(6, le.getInt(OFFSET + OrderFlyweight.STRATEGY_ID_OFFSET));
        assertEquals(7, le.getInt(OFFSET + OrderFlyweight.INSTRUMENT_ID_OFFSET));
        assertEquals(8, le.getInt(OFFSET + OrderFlyweight.QUANTITY_OFFSET));
        assertEquals(OrderFlyweight.BUY, le.getInt(OFFSET + OrderFlyweight.SIDE_OFFSET));
    }

    @Test
    void shouldRejectASideThatIsNeitherBuyNorSellAndKeepTheOldOne()
    {
        final OrderFlyweight order = new OrderFlyweight().wrapForWrite(buffer, 0).side(OrderFlyweight.BUY);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> order.side(3));

        assertEquals("side must be BUY (1) or SELL (2): side=3", ex.getMessage());
        assertEquals(OrderFlyweight.BUY, order.side());
    }

    @Test
    void shouldRejectWrappingAnOrderThatDoesNotFit()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new OrderFlyweight().wrapForWrite(buffer, 128 - 55));

        assertEquals("order does not fit in the buffer: offset=73 length=56 capacity=128", ex.getMessage());
    }

    @Test
    void shouldRejectWritesThroughAnOrderWrappedForReading()
    {
        final OrderFlyweight order = new OrderFlyweight().wrapForRead(buffer, 0);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> order.quantity(1));

        assertEquals("order is not wrapped for writing: use wrapForWrite", ex.getMessage());
    }
}
