package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.CorruptRings.payload;
import static io.shmring.ringbuffer.CorruptRings.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MPSC ends asleep on a wake line while shared state is broken under them (issue 13 breaker, case 4): each waiting end
 * checks what it reads from shared memory each time its wait condition is evaluated (each wake, each slice), as the
 * SPSC ends did, so it reports the corruption at once. A producer waiting for space did not check the head (it ran
 * out its timeout, "no space", where SPSC said "corrupt ring: head=-8"); a consumer waiting on an empty ring did not
 * check a negative length that appeared at its head. Waits are a minute; the preemptive deadline, shorter, is exceeded
 * only by an end that waits its timeout out.
 */
class MpscWaitCorruptionTest
{
    private RingFile file;

    @AfterEach
    void cleanUp()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldThrowFromATimedOfferWhenTheHeadIsBrokenWhileTheProducerWaitsForSpace() throws Exception
    {
        file = CorruptRings.create("wait-mpsc-offer-head", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file))
        {
            final UnsafeBuffer message = payload("x".repeat(100));
            while (producer.offer(1, message, 0, message.capacity()))
            {
                // fill the ring: the timed offer below waits for space
            }
            final CompletableFuture<Boolean> offer =
                WaitingEnds.inBackground(() -> producer.offer(1, message, 0, message.capacity(), WaitingEnds.WAIT_S, TimeUnit.SECONDS));
            WaitingEnds.awaitSleeper(file, RingDescriptor.NOT_FULL_WAKE_OFFSET);

            file.buffer().putLongVolatile(RingDescriptor.HEAD_OFFSET, -8);

            final CorruptRingException corrupt = WaitingEnds.corruption(offer);
            assertEquals("head", corrupt.field());
            assertEquals(-8, corrupt.value());
        }
    }

    @Test
    void shouldThrowFromTakeWhenALengthNoProducerCouldWriteAppearsWhileTheConsumerWaits() throws Exception
    {
        file = CorruptRings.create("wait-mpsc-take-claim", RingConfig.mpsc(4096));
        try (MpscProducer producer = new MpscProducer(file); MpscConsumer consumer = new MpscConsumer(file))
        {
            send(producer, "one");
            assertEquals(1, consumer.poll(new CorruptRings.Received(), 10));
            final CompletableFuture<Integer> take =
                WaitingEnds.inBackground(() -> consumer.take(new CorruptRings.Received(), 10, WaitingEnds.WAIT_S, TimeUnit.SECONDS));
            WaitingEnds.awaitSleeper(file, RingDescriptor.NOT_EMPTY_WAKE_OFFSET);

            file.data().putLongVolatile((int)consumer.position(), FrameHeader.pack(-16, 5)); // negative length, type 5: no claim marker

            final CorruptRingException corrupt = WaitingEnds.corruption(take);
            assertEquals("claim marker", corrupt.field());
            assertEquals(5, corrupt.value());
        }
    }
}
