package io.shmring.ringbuffer;

import io.shmring.core.ClosedException;
import io.shmring.core.ControlledMessageHandler.Action;
import io.shmring.core.FrameDescriptor;
import io.shmring.ringbuffer.liveness.PartyStatus;
import io.shmring.core.Publisher;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpscRingTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX = 128;

    private final Path path = TestPaths.uniqueShmPath("spsc");
    private final UnsafeBuffer src = new UnsafeBuffer(new byte[MAX]);
    private RingFile file;
    private SpscProducer producer;
    private SpscConsumer consumer;

    @BeforeEach
    void setUp()
    {
        file = RingFile.create(path, RingConfig.spsc(CAPACITY).withMaxMessageLength(MAX));
        producer = new SpscProducer(file);
        consumer = new SpscConsumer(file);
    }

    @AfterEach
    void tearDown()
    {
        producer.close();
        consumer.close();
        file.close();
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldDeliverMixedSizesInOrderAcrossManyWraps()
    {
        final Random random = new Random(42);
        final List<Integer> sentLengths = new ArrayList<>();
        final int[] received = new int[1];
        final io.shmring.core.MessageHandler verifier = (typeId, buffer, offset, length) ->
        {
            final int seq = received[0]++;
            assertEquals(seq % 1000, typeId, "type of message " + seq);
            assertEquals(sentLengths.get(seq), length, "length of message " + seq);
            for (int i = 0; i < length; i++)
            {
                assertEquals(patternByte(seq, i), buffer.getByte(offset + i), "byte " + i + " of message " + seq);
            }
        };
        while (producer.position() < 50L * CAPACITY)
        {
            final int length = random.nextInt(MAX + 1);
            fill(src, sentLengths.size(), length);
            if (producer.offer(sentLengths.size() % 1000, src, 0, length))
            {
                sentLengths.add(length);
            }
            else
            {
                consumer.poll(verifier, 1 + random.nextInt(8));
            }
        }
        while (consumer.poll(verifier, 100) > 0)
        {
            assertTrue(received[0] <= sentLengths.size());
        }
        assertEquals(sentLengths.size(), received[0]);
        assertEquals(producer.position(), consumer.position());
        assertEquals(0, file.size());
    }

    @Test
    void shouldReturnFalseWhenFullAndAcceptAgainOnceConsumed()
    {
        int accepted = 0;
        while (producer.offer(1, src, 0, 56))
        {
            accepted++;
        }
        assertEquals(CAPACITY / 64, accepted);
        assertEquals(CAPACITY, file.size());
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, producer.tryClaim(1, 0));
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 1));
        assertTrue(producer.offer(1, src, 0, 56));
        assertFalse(producer.offer(1, src, 0, 0));
    }

    @Test
    void shouldRejectMessageLargerThanMaxLength()
    {
        final IllegalArgumentException offered =
            assertThrows(IllegalArgumentException.class, () -> producer.offer(1, new UnsafeBuffer(new byte[MAX + 1]), 0, MAX + 1));
        assertTrue(offered.getMessage().contains("length=" + (MAX + 1)), offered.getMessage());
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(1, MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> producer.offer(-5, src, 0, 1));
        assertEquals(0, producer.position());
    }

    @Test
    void shouldPublishClaimedMessageOnlyAtCommit()
    {
        final int index = producer.tryClaim(7, 16);
        assertTrue(index >= 0);
        producer.buffer().putLong(index, 0x0102030405060708L);
        producer.buffer().putLong(index + 8, -1L);
        assertEquals(0, consumer.poll((t, b, o, l) -> { }, 10), "an open claim must be invisible");
        producer.commit(index);
        final long[] seen = new long[3];
        assertEquals(1, consumer.poll((typeId, buffer, offset, length) ->
        {
            seen[0] = typeId;
            seen[1] = buffer.getLong(offset);
            seen[2] = length;
        }, 10));
        assertEquals(7, seen[0]);
        assertEquals(0x0102030405060708L, seen[1]);
        assertEquals(16, seen[2]);
    }

    @Test
    void shouldDropAbortedClaimAndReuseItsSpace()
    {
        final int index = producer.tryClaim(7, 64);
        producer.abort(index);
        assertEquals(0, producer.position());
        assertTrue(producer.offer(8, src, 0, 4));
        final int[] type = new int[1];
        assertEquals(1, consumer.poll((t, b, o, l) -> type[0] = t, 10));
        assertEquals(8, type[0]);
    }

    @Test
    void shouldRejectDoubleCommitCommitAfterAbortAndForeignIndex()
    {
        final int index = producer.tryClaim(1, 8);
        assertThrows(IllegalStateException.class, () -> producer.commit(index + 8));
        assertThrows(IllegalStateException.class, () -> producer.offer(1, src, 0, 1), "offer while a claim is open");
        producer.commit(index);
        final IllegalStateException twice = assertThrows(IllegalStateException.class, () -> producer.commit(index));
        assertTrue(twice.getMessage().contains("index=" + index), twice.getMessage());
        final int second = producer.tryClaim(1, 8);
        producer.abort(second);
        assertThrows(IllegalStateException.class, () -> producer.commit(second));
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 10));
    }

    @Test
    void shouldRedeliverAbortedMessageInControlledPoll()
    {
        offerTypes(1, 2, 3);
        final List<Integer> seen = new ArrayList<>();
        assertEquals(1, consumer.controlledPoll((typeId, b, o, l) ->
        {
            seen.add(typeId);
            return typeId == 2 ? Action.ABORT : Action.CONTINUE;
        }, 10));
        assertEquals(List.of(1, 2), seen);
        assertEquals(2, consumer.controlledPoll((typeId, b, o, l) ->
        {
            seen.add(typeId);
            return Action.CONTINUE;
        }, 10));
        assertEquals(List.of(1, 2, 2, 3), seen);
    }

    @Test
    void shouldStopAfterBreakHavingConsumedTheMessage()
    {
        offerTypes(1, 2, 3);
        final List<Integer> seen = new ArrayList<>();
        assertEquals(1, consumer.controlledPoll((typeId, b, o, l) ->
        {
            seen.add(typeId);
            return Action.BREAK;
        }, 10));
        assertEquals(2, consumer.poll((typeId, b, o, l) -> seen.add(typeId), 10));
        assertEquals(List.of(1, 2, 3), seen);
    }

    @Test
    void shouldReleaseSpaceToProducerAtCommitAction()
    {
        offerTypes(1, 2, 3);
        final long frame = FrameDescriptor.alignedFrameLength(0);
        final List<Long> headSeenByProducer = new ArrayList<>();
        assertEquals(3, consumer.controlledPoll((typeId, b, o, l) ->
        {
            headSeenByProducer.add(file.consumerPosition());
            return typeId == 1 ? Action.COMMIT : Action.CONTINUE;
        }, 10));
        assertEquals(List.of(0L, frame, frame), headSeenByProducer);
        assertEquals(3 * frame, file.consumerPosition());
    }

    @Test
    void shouldHonourPollLimit()
    {
        offerTypes(1, 2, 3, 4, 5);
        assertEquals(2, consumer.poll((t, b, o, l) -> { }, 2));
        assertEquals(2, consumer.controlledPoll((t, b, o, l) -> Action.CONTINUE, 2));
        assertEquals(1, consumer.poll((t, b, o, l) -> { }, 2));
    }

    @Test
    void shouldConsumeMessageWhoseHandlerThrewInPlainPoll()
    {
        offerTypes(1, 2);
        assertThrows(IllegalStateException.class, () -> consumer.poll((t, b, o, l) ->
        {
            throw new IllegalStateException("handler failed");
        }, 10));
        final List<Integer> seen = new ArrayList<>();
        consumer.poll((t, b, o, l) -> seen.add(t), 10);
        assertEquals(List.of(2), seen);
    }

    @Test
    void shouldRefuseSecondLiveProducerAndConsumer()
    {
        final AlreadyAttachedException ex = assertThrows(AlreadyAttachedException.class, () -> new SpscProducer(file));
        assertEquals(ProcessHandle.current().pid(), ex.holderPid());
        assertTrue(ex.getMessage().contains("pid " + ProcessHandle.current().pid() + " alive"), ex.getMessage());
        assertEquals("consumer", assertThrows(AlreadyAttachedException.class, () -> new SpscConsumer(file)).role());
    }

    @Test
    void shouldLetNewProducerResumeAtTheTailAfterClose()
    {
        offerTypes(1);
        producer.close();
        assertThrows(ClosedException.class, () -> producer.offer(1, src, 0, 1));
        producer = new SpscProducer(file);
        offerTypes(2);
        final List<Integer> seen = new ArrayList<>();
        consumer.poll((t, b, o, l) -> seen.add(t), 10);
        assertEquals(List.of(1, 2), seen);
    }

    @Test
    void shouldReportEndOfStreamOnlyAfterDrainingAClosedProducer()
    {
        offerTypes(1);
        assertFalse(consumer.isEndOfStream());
        producer.close();
        assertFalse(consumer.isEndOfStream(), "a message is still pending");
        consumer.poll((t, b, o, l) -> { }, 10);
        assertTrue(consumer.isEndOfStream());
    }

    @Test
    void shouldFailOnCorruptFrameLengthNamingIt()
    {
        offerTypes(1);
        file.data().putInt(FrameDescriptor.LENGTH_OFFSET, 3);
        final CorruptRingException ex =
            assertThrows(CorruptRingException.class, () -> consumer.poll((t, b, o, l) -> { }, 10));
        assertTrue(ex.getMessage().contains("frame length=3"), ex.getMessage());
    }

    @Test
    void shouldRecordAttachedConsumerAndProducerAsAlive()
    {
        assertEquals(PartyStatus.Liveness.ALIVE, file.consumerStatus().liveness());
        assertEquals(ProcessHandle.current().pid(), file.consumerStatus().pid());
        assertTrue(file.consumerStatus().sameNamespace());
        assertEquals(PartyStatus.Liveness.ALIVE, file.producerStatus().liveness());
        consumer.close();
        assertEquals(PartyStatus.Liveness.FREE, file.consumerStatus().liveness());
    }

    @Test
    void shouldPassEveryMessageIntactBetweenTwoThreads() throws Exception
    {
        final int count = 1_000_000;
        final Thread producerThread = new Thread(() ->
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MAX]);
            for (int i = 0; i < count; i++)
            {
                final int length = 8 + (i % 57);
                buffer.putInt(0, i);
                buffer.putInt(4, ~i);
                while (!producer.offer(i & 0xFFFF, buffer, 0, length))
                {
                    Thread.onSpinWait();
                }
            }
        });
        producerThread.start();
        final int[] next = new int[1];
        while (next[0] < count)
        {
            consumer.poll((typeId, buffer, offset, length) ->
            {
                final int seq = buffer.getInt(offset);
                assertEquals(next[0], seq);
                assertEquals(~seq, buffer.getInt(offset + 4));
                assertEquals(8 + (seq % 57), length);
                assertEquals(seq & 0xFFFF, typeId);
                next[0]++;
            }, 100);
        }
        producerThread.join();
        assertEquals(count, next[0]);
        assertTrue(consumer.isEmpty());
    }

    @Test
    void shouldWorkTheSameInDirectMemoryWithoutAFile()
    {
        try (RingFile direct = RingFile.allocateDirect(RingConfig.spsc(CAPACITY));
            SpscProducer directProducer = new SpscProducer(direct);
            SpscConsumer directConsumer = new SpscConsumer(direct))
        {
            assertEquals(null, direct.path());
            assertTrue(directProducer.offer(5, src, 0, 3));
            final int[] type = new int[1];
            assertEquals(1, directConsumer.poll((t, b, o, l) -> type[0] = t, 10));
            assertEquals(5, type[0]);
            assertFalse(direct.delete());
        }
    }

    private void offerTypes(final int... types)
    {
        for (final int type : types)
        {
            assertTrue(producer.offer(type, src, 0, 0));
        }
    }

    private void drain()
    {
        while (consumer.poll((t, b, o, l) -> { }, 100) > 0)
        {
            assertTrue(file.size() >= 0);
        }
    }

    private static void fill(final UnsafeBuffer buffer, final int seq, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, patternByte(seq, i));
        }
    }

    private static byte patternByte(final int seq, final int i)
    {
        return (byte)(seq * 31 + i);
    }
}
