package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer that was judged dead and taken over (as a consumer stopped past the staleness period in another pid
 * namespace is, issue 12 B2) must, at its next poll, report that it lost its role: never a corruption (the head and
 * tail it remembers make no sense any more), and never a message again that its successor may have had. The takeover
 * is made here as a successor in another process makes it: the record is made to name a dead holder, and a new
 * consumer takes it over; meanwhile the stale consumer's heartbeat is held (as a SIGSTOP holds it), so only the
 * poll's own check can tell it.
 */
class TakenOverConsumerTest
{
    private static final int CAPACITY = 1024;
    private static final int MESSAGE_LENGTH = 56;
    private static final UnsafeBuffer MESSAGE = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private static final MessageHandler IGNORE = (typeId, buffer, offset, length) -> { };

    private final Path path = TestPaths.uniqueShmPath("takenover");
    private final TrackedResources resources = new TrackedResources();

    @AfterEach
    void tearDown() throws Exception
    {
        resources.close();
        Files.deleteIfExists(path);
    }

    @Test
    void shouldReportTheLostRoleNotCorruptionWhenATakenOverSpscConsumerFindsTheRingMovedOnByMoreThanItsCapacity() throws Exception
    {
        assertLostRoleAfterTakeover(RingConfig.spsc(CAPACITY), SpscProducer::new, SpscConsumer::new, 3 * CAPACITY);
    }

    @Test
    void shouldDeliverNothingAgainWhenATakenOverSpscConsumerPolls() throws Exception
    {
        assertLostRoleAfterTakeover(RingConfig.spsc(CAPACITY), SpscProducer::new, SpscConsumer::new, CAPACITY / 2);
    }

    @Test
    void shouldReportTheLostRoleNotCorruptionWhenATakenOverMpscConsumerFindsTheRingMovedOnByMoreThanItsCapacity() throws Exception
    {
        assertLostRoleAfterTakeover(RingConfig.mpsc(CAPACITY), MpscProducer::new, MpscConsumer::new, 3 * CAPACITY);
    }

    @Test
    void shouldDeliverNothingAgainWhenATakenOverMpscConsumerPolls() throws Exception
    {
        assertLostRoleAfterTakeover(RingConfig.mpsc(CAPACITY), MpscProducer::new, MpscConsumer::new, CAPACITY / 2);
    }

    @Test
    void shouldReportTheLostRoleBeforeDeliveringAgainWhenATakenOverLosslessBroadcastConsumerPolls() throws Exception
    {
        assertBroadcastLostRoleAfterTakeover(BroadcastConfig.lossless(2));
    }

    @Test
    void shouldReportTheLostRoleBeforeDeliveringAgainWhenATakenOverLossyBroadcastConsumerPolls() throws Exception
    {
        assertBroadcastLostRoleAfterTakeover(BroadcastConfig.lossy(2));
    }

    /**
     * A broadcast consumer's slot is taken over the same way: the stale consumer (4 messages read, 4 unread) must not
     * deliver those 4, nor store a position or counters in the slot that is its successor's now, nor free it on close.
     */
    private void assertBroadcastLostRoleAfterTakeover(final BroadcastConfig broadcast) throws Exception
    {
        final RingFile file = resources.track(RingFile.create(path, RingConfig.broadcast(CAPACITY, broadcast)));
        final BroadcastProducer producer = resources.track(new BroadcastProducer(file));
        final BroadcastConsumer stale = resources.track(new BroadcastConsumer(file));
        readFourLeaveFour(producer, stale);

        final BroadcastConsumer next;
        final int[] delivered = {0};
        final RoleLostException lost;
        synchronized (heartbeatOf(stale)) // its beats wait, as a stopped process's would: it learns nothing from them
        {
            TestParties.makeHolderDead(file, BroadcastSlots.partyOffset(stale.slot()));
            next = resources.track(new BroadcastConsumer(file));
            assertEquals(stale.slot(), next.slot(), "the successor took the dead holder's slot");
            assertTrue(producer.offer(1, MESSAGE, 0, MESSAGE_LENGTH)); // left for the successor
            lost = assertThrows(RoleLostException.class, () -> stale.poll((typeId, buffer, offset, length) -> delivered[0]++, 256));
        }
        assertTrue(lost.getMessage().contains("lost its role"), lost.getMessage());
        assertEquals(0, delivered[0], "a taken-over consumer delivers nothing more");
        final long positionBefore = file.consumerSlotStatus(next.slot()).position();
        assertThrows(RoleLostException.class, () -> stale.poll(IGNORE, 256));
        stale.close();
        assertEquals(positionBefore, file.consumerSlotStatus(next.slot()).position(), "nor moves or frees the successor's position");
        assertTrue(file.consumerSlotStatus(next.slot()).party().isHeld(), "the successor still holds the slot");
        assertEquals(1, next.poll(IGNORE, 256), "the successor still has what was left for it");
        assertEquals(0, next.poll(IGNORE, 256));
    }

    /**
     * The stale consumer reads four messages; four more are left unread.
     */
    private static void readFourLeaveFour(final Publisher producer, final Subscriber stale)
    {
        for (int i = 0; i < 4; i++)
        {
            assertTrue(producer.offer(1, MESSAGE, 0, MESSAGE_LENGTH));
        }
        assertEquals(4, stale.poll(IGNORE, 256));
        for (int i = 0; i < 4; i++)
        {
            assertTrue(producer.offer(1, MESSAGE, 0, MESSAGE_LENGTH)); // unread when the stale consumer is taken over
        }
    }

    /**
     * @return the monitor a consumer's heartbeat holds while it beats (and checks its role): holding it keeps the
     *         consumer from learning of a takeover by its heartbeat, so the poll's own check is what is tested.
     */
    private static Object heartbeatOf(final Subscriber consumer) throws ReflectiveOperationException
    {
        final Field lifecycle = consumer.getClass().getDeclaredField("lifecycle");
        lifecycle.setAccessible(true);
        final Field heartbeat = EndLifecycle.class.getDeclaredField("heartbeat");
        heartbeat.setAccessible(true);
        return heartbeat.get(lifecycle.get(consumer));
    }

    /**
     * The stale consumer consumes a few messages, is taken over, its successor consumes {@code bytesAfter} more
     * (published after the takeover), some are left unread; then the stale consumer polls.
     */
    private void assertLostRoleAfterTakeover(final RingConfig config, final Function<RingFile, Publisher> producers,
        final Function<RingFile, Subscriber> consumers, final int bytesAfter) throws Exception
    {
        final RingFile file = resources.track(RingFile.create(path, config));
        final Publisher producer = resources.track(producers.apply(file));
        final Subscriber stale = resources.track(consumers.apply(file));
        readFourLeaveFour(producer, stale);

        final Subscriber next;
        final int[] delivered = {0};
        final RoleLostException lost;
        synchronized (heartbeatOf(stale)) // its beats wait, as a stopped process's would: it learns nothing from them
        {
            TestParties.makeHolderDead(file, RingDescriptor.CONSUMER_PARTY_OFFSET);
            next = resources.track(consumers.apply(file));
            for (int sent = 0; sent < bytesAfter; sent += MESSAGE_LENGTH + 8)
            {
                assertTrue(producer.offer(1, MESSAGE, 0, MESSAGE_LENGTH));
                next.poll(IGNORE, 256);
            }
            assertTrue(producer.offer(1, MESSAGE, 0, MESSAGE_LENGTH)); // left for the successor

            lost = assertThrows(RoleLostException.class, () -> stale.poll((typeId, buffer, offset, length) -> delivered[0]++, 256));
        }
        assertTrue(lost.getMessage().contains("lost its role"), lost.getMessage());
        assertEquals(0, delivered[0], "a taken-over consumer delivers nothing more");
        final long headBefore = file.consumerPosition();
        assertThrows(RoleLostException.class, () -> stale.poll(IGNORE, 256));
        assertEquals(headBefore, file.consumerPosition(), "nor moves the successor's head");
        assertEquals(1, next.poll(IGNORE, 256), "the successor still has what was left for it");
        assertFalse(next.poll(IGNORE, 256) > 0);
    }
}
