package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.CorruptRings.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A broadcast consumer asleep in {@code take} while the producer's positions are broken (issue 13 breaker, case 3): it
 * used to sleep out its whole timeout (a ring with nothing to read, as far as it looked); it now checks the tail and the
 * floor or tail intent each time its wait condition is evaluated, and throws the corruption. Its take's timeout is a
 * minute; the test's preemptive deadline, shorter, only a consumer that waits the timeout out exceeds.
 */
class BroadcastWaitCorruptionTest
{
    private RingFile file;

    @AfterEach
    void cleanUp()
    {
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldThrowFromTakeWhenTheTailIntentIsBrokenWhileALossyConsumerWaits() throws Exception
    {
        file = CorruptRings.create("wait-lossy-intent", RingConfig.broadcast(4096, BroadcastConfig.lossy(4)));
        assertWaitingConsumerThrows(BroadcastDescriptor.TAIL_INTENT_OFFSET, 1L << 40, "tail intent");
    }

    @Test
    void shouldThrowFromTakeWhenTheFloorIsBrokenWhileALosslessConsumerWaits() throws Exception
    {
        file = CorruptRings.create("wait-lossless-floor", RingConfig.broadcast(4096, BroadcastConfig.lossless(4)));
        assertWaitingConsumerThrows(BroadcastDescriptor.FLOOR_OFFSET, 4000, "floor");
    }

    private void assertWaitingConsumerThrows(final int offset, final long value, final String field) throws Exception
    {
        try (BroadcastProducer producer = new BroadcastProducer(file); BroadcastConsumer consumer = new BroadcastConsumer(file))
        {
            send(producer, "one", "two");
            assertEquals(2, consumer.poll(new CorruptRings.Received(), 10));
            final CompletableFuture<Integer> take =
                WaitingEnds.inBackground(() -> consumer.take(new CorruptRings.Received(), 10, WaitingEnds.WAIT_S, TimeUnit.SECONDS));
            WaitingEnds.awaitSleeper(file, RingDescriptor.NOT_EMPTY_WAKE_OFFSET);

            file.buffer().putLongVolatile(offset, value);

            final CorruptRingException corrupt = WaitingEnds.corruption(take);
            assertEquals(field, corrupt.field());
            assertEquals(value, corrupt.value());
        }
    }
}
