package io.shmring.bench.harness;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-in consumer's check, fed by hand: producers may interleave, but each one's messages must come complete and
 * in order, then its end.
 */
class FanInCheckerTest
{
    private static final int SIZE = 64;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[SIZE]);
    private final FanInChecker checker = new FanInChecker(2, SIZE);

    private void deliver(final int typeId, final long producer, final long sequence)
    {
        message.putLong(MessageLayout.PRODUCER_OFFSET, producer);
        message.putLong(MessageLayout.SEQUENCE_OFFSET, sequence);
        checker.onMessage(typeId, message, 0, SIZE);
    }

    private void data(final long producer, final long sequence)
    {
        deliver(MessageLayout.DATA_TYPE_ID, producer, sequence);
    }

    private void end(final long producer, final long sent)
    {
        deliver(FanInChecker.END_TYPE_ID, producer, sent);
    }

    @Test
    void shouldAcceptInterleavedProducersEachInOrderAndFinishAfterEveryEnd()
    {
        data(0, 0);
        data(1, 0);
        data(1, 1);
        data(0, 1);
        end(1, 2);
        assertFalse(checker.done());
        data(0, 2);
        end(0, 3);
        assertTrue(checker.done());
        assertTrue(checker.endNs() != 0);
        assertEquals(3, checker.received(0));
        assertEquals(2, checker.received(1));
    }

    @Test
    void shouldRejectAMissingMessage()
    {
        data(0, 0);
        assertThrows(IllegalStateException.class, () -> data(0, 2));
    }

    @Test
    void shouldRejectARepeatedMessage()
    {
        data(1, 0);
        data(1, 1);
        assertThrows(IllegalStateException.class, () -> data(1, 1));
    }

    @Test
    void shouldRejectAnOutOfOrderMessage()
    {
        data(0, 0);
        data(0, 1);
        assertThrows(IllegalStateException.class, () -> data(0, 0));
    }

    @Test
    void shouldRejectAnEndBeforeTheLastMessages()
    {
        data(0, 0);
        assertThrows(IllegalStateException.class, () -> end(0, 2));
    }

    @Test
    void shouldRejectAMessageAfterItsProducersEnd()
    {
        data(0, 0);
        end(0, 1);
        assertThrows(IllegalStateException.class, () -> data(0, 1));
    }

    @Test
    void shouldRejectAnUnknownProducerOrAWrongSize()
    {
        assertThrows(IllegalStateException.class, () -> data(2, 0));
        assertThrows(IllegalStateException.class, () -> data(-1, 0));
        assertThrows(IllegalStateException.class, () -> checker.onMessage(MessageLayout.DATA_TYPE_ID, message, 0, SIZE - 1));
    }
}
