package io.shmring.examples.trading;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TickFlyweightTest
{
    private static final int OFFSET = 24;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);

    @Test
    void shouldHaveTheDocumentedEightAlignedLayout()
    {
        assertEquals(0, TickFlyweight.SEQUENCE_OFFSET);
        assertEquals(8, TickFlyweight.PUBLISH_NANOS_OFFSET);
        assertEquals(16, TickFlyweight.PRICE_OFFSET);
        assertEquals(24, TickFlyweight.INSTRUMENT_ID_OFFSET);
        assertEquals(28, TickFlyweight.QUANTITY_OFFSET);
        assertEquals(32, TickFlyweight.LENGTH);
    }

    @Test
    void shouldReadBackWhatWasWrittenThroughAnotherFlyweight()
    {
        new TickFlyweight().wrapForWrite(buffer, OFFSET)
            .sequence(123_456_789_012L).publishNanos(-42L).price(1_234_567L).instrumentId(15).quantity(700);

        final TickFlyweight tick = new TickFlyweight().wrapForRead(buffer, OFFSET);

        assertEquals(123_456_789_012L, tick.sequence());
        assertEquals(-42L, tick.publishNanos());
        assertEquals(1_234_567L, tick.price());
        assertEquals(15, tick.instrumentId());
        assertEquals(700, tick.quantity());
        assertEquals(OFFSET, tick.offset());
    }

    @Test
    void shouldWriteLittleEndianFieldsAtTheirOffsetsAndNothingOutsideTheTick()
    {
        final byte[] bytes = new byte[128];
        java.util.Arrays.fill(bytes, (byte)0x5A);
        final UnsafeBuffer filled = new UnsafeBuffer(bytes);

        new TickFlyweight().wrapForWrite(filled, OFFSET)
            .sequence(1L).publishNanos(2L).price(3L).instrumentId(4).quantity(5);

        final ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1L, le.getLong(OFFSET + TickFlyweight.SEQUENCE_OFFSET));
        assertEquals(2L, le.getLong(OFFSET + TickFlyweight.PUBLISH_NANOS_OFFSET));
        assertEquals(3L, le.getLong(OFFSET + TickFlyweight.PRICE_OFFSET));
        assertEquals(4, le.getInt(OFFSET + TickFlyweight.INSTRUMENT_ID_OFFSET));
        assertEquals(5, le.getInt(OFFSET + TickFlyweight.QUANTITY_OFFSET));
        for (int i = 0; i < bytes.length; i++)
        {
            if (i < OFFSET || i >= OFFSET + TickFlyweight.LENGTH)
            {
                assertEquals((byte)0x5A, bytes[i], "byte " + i + " outside the tick changed");
            }
        }
    }

    @Test
    void shouldRejectWrappingATickThatDoesNotFit()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[40]);

        final IllegalArgumentException tooFar = assertThrows(IllegalArgumentException.class,
            () -> new TickFlyweight().wrapForRead(small, 9));
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> new TickFlyweight().wrapForWrite(small, -8));

        assertEquals("tick does not fit in the buffer: offset=9 length=32 capacity=40", tooFar.getMessage());
        assertEquals("tick does not fit in the buffer: offset=-8 length=32 capacity=40", negative.getMessage());
        new TickFlyweight().wrapForRead(small, 8); // the last offset that fits
    }

    @Test
    void shouldRejectWritesThroughATickWrappedForReading()
    {
        final TickFlyweight tick = new TickFlyweight().wrapForWrite(buffer, 0).price(99);
        tick.wrapForRead(buffer, 0);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> tick.price(1));

        assertEquals("tick is not wrapped for writing: use wrapForWrite", ex.getMessage());
        assertEquals(99, tick.price());
    }
}
