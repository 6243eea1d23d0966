package io.shmring.ringbuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MPSC consumer that recovers a claim skips what the range held, so it tells the application (issue 13 breaker,
 * case 5): the {@link ClaimRecoveryListener} hears of each recovery, with the position and the bytes skipped, before
 * the next message is delivered, and the count in the file goes up. A committed message whose header was overwritten
 * with a claim was skipped after the claim timeout with no word of its own.
 */
class ClaimRecoveryListenerTest
{
    private static final long TIMEOUT_MS = MpscConsumer.MIN_CLAIM_TIMEOUT_MS;

    /** What the consumer told, in order: "recovered position/bytes/slot" and "message typeId". */
    private final List<String> events = new ArrayList<>();
    private RingFile file;
    private MpscConsumer consumer;

    @BeforeEach
    void setUp()
    {
        file = CorruptRings.create("recovery-listener", RingConfig.mpsc(1024).withProducerSlots(4));
        consumer = new MpscConsumer(file, TIMEOUT_MS, TimeUnit.MILLISECONDS, RingWakeups.defaultWaitStrategy(),
            (position, skippedBytes, slot) -> events.add("recovered " + position + "/" + skippedBytes + "/" + slot));
    }

    @AfterEach
    void tearDown()
    {
        consumer.close();
        TestRings.closeAndDelete(file);
    }

    @Test
    void shouldTellTheListenerOfAMessageWhoseHeaderWasOverwrittenWithAClaim() throws Exception
    {
        try (MpscProducer producer = new MpscProducer(file))
        {
            offer(producer, 1);
            offer(producer, 2);
            offer(producer, 3);
        }
        // the second message (16 bytes at 16) now looks like an open claim of slot 3, which nobody holds
        file.data().putLongVolatile(16, FrameHeader.pack(-16, ClaimMarker.of(3, 0)));

        pollUntilRecovered();
        consumer.poll((typeId, buffer, offset, length) -> events.add("message " + typeId), 10);

        assertEquals(List.of("message 1", "recovered 16/16/3", "message 3"), events);
        assertEquals(1, consumer.recoveredClaims());
    }

    @Test
    void shouldTellTheListenerOfADeadProducersClaimAndOfItsReservedRange() throws Exception
    {
        try (MpscProducer victim = new MpscProducer(file); MpscProducer survivor = new MpscProducer(file))
        {
            assertTrue(victim.tryClaim(5, 20) >= 0); // a claim of 28 bytes, 32 aligned, at 0, never committed
            final StalledClaim reserved = StalledClaim.reserve(victim, 8); // a range whose header never goes in, at 32
            offer(survivor, 6);
            TestParties.makeHolderDead(file, TestParties.slotRecord(file, victim.slot()));

            pollUntilRecovered();
            pollUntil(2);
            consumer.poll((typeId, buffer, offset, length) -> events.add("message " + typeId), 10);

            assertEquals(List.of("recovered 0/32/" + victim.slot(), "recovered 32/16/" + victim.slot(), "message 6"), events);
            assertEquals(32, reserved.tail());
            assertEquals(2, consumer.recoveredClaims());
        }
    }

    private static void offer(final MpscProducer producer, final int typeId)
    {
        assertTrue(producer.offer(typeId, new UnsafeBuffer(new byte[8]), 0, 8));
    }

    private void pollUntilRecovered() throws InterruptedException
    {
        pollUntil(1);
    }

    /**
     * Poll (delivering into {@link #events}) every 5 ms until the consumer has recovered {@code recoveries} claims;
     * only a hang takes the 30 s deadline.
     */
    private void pollUntil(final long recoveries) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.recoveredClaims() < recoveries)
        {
            consumer.poll((typeId, buffer, offset, length) -> events.add("message " + typeId), 1);
            assertTrue(System.nanoTime() - deadline < 0, "no recovery within 30 s: " + events);
            Thread.sleep(5);
        }
    }
}
