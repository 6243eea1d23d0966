package io.shmring.ringbuffer;

import io.shmring.core.ClosedException;
import io.shmring.core.test.TestPaths;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.Publisher;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MpscRingTest
{
    private static final int CAPACITY = 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        for (final Path path : paths)
        {
            java.nio.file.Files.deleteIfExists(path);
        }
    }

    private RingFile createRing(final RingConfig config)
    {
        final Path path = TestPaths.uniqueShmPath("mpsc");
        paths.add(path);
        final RingFile file = RingFile.create(path, config);
        resources.add(file);
        return file;
    }

    private RingFile createRing()
    {
        return createRing(RingConfig.mpsc(CAPACITY).withProducerSlots(4));
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private static UnsafeBuffer bytes(final int length, final int seed)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)(seed + i));
        }
        return buffer;
    }

    private static List<byte[]> drain(final MpscConsumer consumer, final List<Integer> typeIds)
    {
        final List<byte[]> messages = new ArrayList<>();
        consumer.poll((typeId, buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(copy);
            typeIds.add(typeId);
        }, Integer.MAX_VALUE);
        return messages;
    }

    @Test
    void shouldDeliverOfferedMessagesInOrderWithTypeAndPayload()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));

        assertTrue(producer.offer(1, bytes(5, 10), 0, 5));
        assertTrue(producer.offer(2, bytes(0, 0), 0, 0));
        assertTrue(producer.offer(3, bytes(40, 3), 0, 40));

        final List<Integer> typeIds = new ArrayList<>();
        final List<byte[]> messages = drain(consumer, typeIds);
        assertEquals(List.of(1, 2, 3), typeIds);
        assertArrayEquals(bytes(5, 10).byteArray(), messages.get(0));
        assertEquals(0, messages.get(1).length);
        assertArrayEquals(bytes(40, 3).byteArray(), messages.get(2));
        assertTrue(consumer.isEmpty());
    }

    @Test
    void shouldHoldBackMessagesBehindAClaimUntilItIsCommitted()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));

        final int index = producer.tryClaim(9, 4);
        assertTrue(index >= 0);
        assertTrue(producer.offer(10, bytes(3, 1), 0, 3));
        final List<Integer> typeIds = new ArrayList<>();
        assertEquals(0, drain(consumer, typeIds).size());

        producer.buffer().putInt(index, 0xCAFE);
        producer.commit(index);
        final List<byte[]> messages = drain(consumer, typeIds);
        assertEquals(List.of(9, 10), typeIds);
        assertEquals(0xCAFE, new UnsafeBuffer(messages.get(0)).getInt(0));
    }

    @Test
    void shouldSkipAbortedClaim()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));

        final int index = producer.tryClaim(9, 16);
        assertTrue(producer.offer(10, bytes(3, 1), 0, 3));
        producer.abort(index);

        final List<Integer> typeIds = new ArrayList<>();
        drain(consumer, typeIds);
        assertEquals(List.of(10), typeIds);
        assertEquals(0, consumer.recoveredClaims());
    }

    @Test
    void shouldRejectDoubleCommit()
    {
        final MpscProducer producer = track(new MpscProducer(createRing()));
        final int index = producer.tryClaim(1, 8);
        producer.commit(index);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.commit(index));
        assertTrue(ex.getMessage().contains("index=" + index), ex.getMessage());
    }

    @Test
    void shouldRejectCommitAfterAbort()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        final int index = producer.tryClaim(1, 8);
        producer.abort(index);
        assertThrows(IllegalStateException.class, () -> producer.commit(index));
        assertThrows(IllegalStateException.class, () -> producer.abort(index));
        assertEquals(0, drain(consumer, new ArrayList<>()).size());
    }

    @Test
    void shouldRejectCommitOfAnIndexThatIsNotTheOpenClaim()
    {
        final MpscProducer producer = track(new MpscProducer(createRing()));
        final int index = producer.tryClaim(1, 8);
        assertThrows(IllegalStateException.class, () -> producer.commit(index + 8));
        producer.commit(index);
    }

    @Test
    void shouldRejectSecondClaimOnTheSameThread()
    {
        final MpscProducer producer = track(new MpscProducer(createRing()));
        producer.tryClaim(1, 8);
        assertThrows(IllegalStateException.class, () -> producer.tryClaim(1, 8));
    }

    @Test
    void shouldRejectReservedTypeIdAndOversizeMessageNamingTheValue()
    {
        final MpscProducer producer = track(new MpscProducer(createRing()));
        final IllegalArgumentException type =
            assertThrows(IllegalArgumentException.class, () -> producer.offer(-1, bytes(4, 0), 0, 4));
        assertTrue(type.getMessage().contains("typeId=-1"), type.getMessage());
        final int tooLong = producer.maxMessageLength() + 1;
        final IllegalArgumentException length =
            assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(1, tooLong));
        assertTrue(length.getMessage().contains("length=" + tooLong), length.getMessage());
    }

    @Test
    void shouldReportFullAndAcceptAgainOnceConsumed()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        final UnsafeBuffer payload = bytes(56, 0);
        int sent = 0;
        while (producer.offer(1, payload, 0, 56))
        {
            sent++;
        }
        assertEquals(CAPACITY / 64, sent);
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, producer.tryClaim(1, 56));
        assertEquals(sent, drain(consumer, new ArrayList<>()).size());
        assertTrue(producer.offer(1, payload, 0, 56));
    }

    @Test
    void shouldWrapWithPaddingAndZeroWhatWasConsumed()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        int expectedSeed = 0;
        int seed = 0;
        for (int round = 0; round < 500; round++)
        {
            final int length = 1 + (round * 37) % 100;
            if (round % 3 == 0)
            {
                final int index = producer.tryClaim(length, length);
                assertTrue(index >= 0);
                producer.buffer().putBytes(index, bytes(length, seed), 0, length);
                producer.commit(index);
            }
            else
            {
                assertTrue(producer.offer(length, bytes(length, seed), 0, length));
            }
            seed++;
            if (round % 4 == 3)
            {
                final List<Integer> typeIds = new ArrayList<>();
                for (final byte[] message : drain(consumer, typeIds))
                {
                    assertArrayEquals(bytes(message.length, expectedSeed++).byteArray(), message);
                }
            }
        }
        drain(consumer, new ArrayList<>());
        assertTrue(consumer.position() > 20L * CAPACITY, "wrapped many times: position=" + consumer.position());
        final UnsafeBuffer data = file.data();
        for (int i = 0; i < CAPACITY; i += 8)
        {
            assertEquals(0L, data.getLong(i), "consumed bytes are zeroed: index=" + i);
        }
    }

    @Test
    void shouldDeliverControlledPollActions()
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        for (int i = 0; i < 4; i++)
        {
            producer.offer(i, bytes(4, i), 0, 4);
        }
        final List<Integer> seen = new ArrayList<>();
        assertEquals(0, consumer.controlledPoll((typeId, buffer, offset, length) ->
        {
            seen.add(typeId);
            return ControlledMessageHandler.Action.ABORT;
        }, 10));
        assertEquals(1, consumer.controlledPoll((typeId, buffer, offset, length) ->
        {
            seen.add(typeId);
            return ControlledMessageHandler.Action.BREAK;
        }, 10));
        assertEquals(3, consumer.controlledPoll((typeId, buffer, offset, length) ->
        {
            seen.add(typeId);
            return typeId == 2 ? ControlledMessageHandler.Action.COMMIT : ControlledMessageHandler.Action.CONTINUE;
        }, 10));
        assertEquals(List.of(0, 0, 1, 2, 3), seen);
        assertTrue(consumer.isEmpty());
    }

    @Test
    void shouldRejectMpscConfigWithoutProducerSlots()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> RingConfig.mpsc(CAPACITY).withProducerSlots(0));
        assertTrue(ex.getMessage().contains("producerSlots=0"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingConfig.mpsc(CAPACITY).withProducerSlots(4097));
    }

    @Test
    void shouldRejectClaimTimeoutOutOfRange()
    {
        final RingFile file = createRing();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new MpscConsumer(file, 10, TimeUnit.MILLISECONDS));
        assertTrue(ex.getMessage().contains("claimTimeoutMs=10"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MpscConsumer(file, 2, TimeUnit.DAYS));
        track(new MpscConsumer(file, MpscConsumer.MIN_CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldRejectRingOfTheWrongKind()
    {
        final RingFile spsc = createRing(RingConfig.spsc(CAPACITY));
        final IncompatibleRingException producer = assertThrows(IncompatibleRingException.class, () -> new MpscProducer(spsc));
        assertEquals("kind", producer.field());
        assertEquals("SPSC", producer.actual());
        assertEquals("MPSC", producer.expected());
        assertEquals(spsc.path(), producer.path());
        assertThrows(IncompatibleRingException.class, () -> new MpscConsumer(spsc));
        final RingFile mpsc = createRing();
        final IncompatibleRingException consumer = assertThrows(IncompatibleRingException.class, () -> new SpscConsumer(mpsc));
        assertEquals("MPSC", consumer.actual());
        assertEquals("SPSC", consumer.expected());
        assertThrows(IncompatibleRingException.class, () -> new SpscProducer(mpsc));
    }

    @Test
    void shouldRefuseSecondLiveConsumer()
    {
        final RingFile file = createRing();
        track(new MpscConsumer(file));
        assertThrows(AlreadyAttachedException.class, () -> new MpscConsumer(file));
    }

    @Test
    void shouldRefuseProducerWhenEverySlotIsHeldAndReuseAFreedSlot()
    {
        final RingFile file = createRing(RingConfig.mpsc(CAPACITY).withProducerSlots(2));
        final MpscProducer first = new MpscProducer(file);
        final MpscProducer second = track(new MpscProducer(file));
        final TableFullException ex = assertThrows(TableFullException.class, () -> new MpscProducer(file));
        assertEquals(2, ex.slots());
        assertEquals(file.path(), ex.path());
        assertEquals("MPSC producer", ex.role());

        final int freed = first.slot();
        final ProducerTable table = new ProducerTable(file);
        final int generation = PartyDescriptor.generation(table.ownerWord(freed));
        first.close();
        assertEquals(0, PartyDescriptor.pid(table.ownerWord(freed)));
        final MpscProducer third = track(new MpscProducer(file));
        assertEquals(freed, third.slot());
        assertEquals(generation + 1, PartyDescriptor.generation(table.ownerWord(freed)));
        assertTrue(second.slot() != third.slot());
    }

    @Test
    void shouldReportLivenessOfConsumerAndProducers()
    {
        final RingFile file = createRing();
        final MpscProducer producer = new MpscProducer(file);
        assertFalse(producer.isConsumerAlive(60, TimeUnit.SECONDS));
        final MpscConsumer consumer = track(new MpscConsumer(file));
        // heartbeat ages only a hang reaches: the ends are alive for as long as their processes run and beat
        assertTrue(producer.isConsumerAlive(60, TimeUnit.SECONDS));
        assertTrue(consumer.isProducerAlive(producer.slot(), 60, TimeUnit.SECONDS));
        assertEquals(ProcessHandle.current().pid(), consumer.producerPid(producer.slot()));
        final int other = (producer.slot() + 1) % consumer.producerSlots();
        assertFalse(consumer.isProducerAlive(other, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> consumer.isProducerAlive(consumer.producerSlots(), 1, TimeUnit.SECONDS));

        producer.close();
        assertFalse(consumer.isProducerAlive(producer.slot(), 1, TimeUnit.SECONDS));
        consumer.close();
    }

    @Test
    void shouldKeepProducerHeartbeatFreshWhileIdle() throws InterruptedException
    {
        final RingFile file = createRing();
        final MpscProducer producer = track(new MpscProducer(file));
        final int record = TestParties.slotRecord(file, producer.slot());
        final long first = TestParties.heartbeat(file, record);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a generous bound only a stopped timer misses
        while (TestParties.heartbeat(file, record) == first && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(PartyDescriptor.HEARTBEAT_INTERVAL_MS);
        }
        assertTrue(TestParties.heartbeat(file, record) > first, "heartbeat moved while idle");
    }

    @Test
    void shouldReachEndOfStreamOnceEveryProducerClosedAndAllIsConsumed()
    {
        final RingFile file = createRing();
        final MpscConsumer consumer = track(new MpscConsumer(file));
        final MpscProducer a = new MpscProducer(file);
        final MpscProducer b = new MpscProducer(file);
        assertFalse(consumer.isEndOfStream());
        a.offer(1, bytes(4, 0), 0, 4);
        a.close();
        assertFalse(consumer.isEndOfStream());
        b.offer(1, bytes(4, 0), 0, 4);
        b.close();
        assertFalse(consumer.isEndOfStream());
        assertEquals(2, drain(consumer, new ArrayList<>()).size());
        assertTrue(consumer.isEndOfStream());
    }

    @Test
    void shouldAbortTheClosingThreadsOpenClaim()
    {
        final RingFile file = createRing();
        final MpscConsumer consumer = track(new MpscConsumer(file));
        final MpscProducer producer = new MpscProducer(file);
        final int index = producer.tryClaim(1, 8);
        producer.close();
        assertThrows(ClosedException.class, () -> producer.commit(index));
        assertThrows(ClosedException.class, () -> producer.offer(1, bytes(1, 0), 0, 1));
        assertEquals(0, drain(consumer, new ArrayList<>()).size());
        assertTrue(consumer.isEmpty());
    }
}
