package io.shmring.ringbuffer;

import io.shmring.core.test.TestPaths;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk an MPSC producer makes when it attaches ({@link RingWalk}) reads a live ring: other producers claim, commit
 * and abort frames of many sizes (wrap claims and padding included) and the consumer zeroes and moves the head while it
 * walks. It must never call such a ring corrupt. Real threads; every message is checked for order and tearing.
 */
class ProducerAttachWalkTest
{
    private static final int PUBLISHERS = 2;
    private static final int ATTACHES = 150;
    private static final int MIN_LENGTH = TestMessages.LENGTH;
    private static final long DEADLINE_NS = 120_000_000_000L;

    @Test
    void shouldNeverRefuseAttachingToALiveMpscRingWhileOthersPublishAndTheConsumerReads() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("attach-walk");
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (RingFile file = RingFile.create(path, RingConfig.mpsc(4096).withProducerSlots(8)))
        {
            final List<Thread> threads = new ArrayList<>();
            final long[] next = new long[PUBLISHERS];
            threads.add(new Thread(() -> consume(file, next, stop, failure), "consumer"));
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final int producerId = p;
                threads.add(new Thread(() -> publish(file, producerId, stop, failure), "publisher-" + p));
            }
            threads.forEach(Thread::start);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            try
            {
                for (int attach = 0; attach < ATTACHES && failure.get() == null; attach++)
                {
                    try (MpscProducer attached = new MpscProducer(file))
                    {
                        assertTrue(attached.slot() >= 0);
                    }
                    assertTrue(System.nanoTime() < deadline, "timed out after attaches=" + attach);
                }
            }
            finally
            {
                stop.set(true);
                for (final Thread thread : threads)
                {
                    thread.join(DEADLINE_NS / 1_000_000);
                }
            }
            if (failure.get() != null)
            {
                throw new AssertionError(failure.get());
            }
            System.out.println("attach walks " + ATTACHES + " beside publishers that sent " + next[0] + " and " + next[1] +
                " messages");
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Offers and claims (some aborted) of payloads from 20 to 60 bytes, so frames wrap and pad at every index.
     */
    private static void publish(final RingFile file, final int producerId, final AtomicBoolean stop,
        final AtomicReference<Throwable> failure)
    {
        try (MpscProducer producer = new MpscProducer(file))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[MIN_LENGTH + 40]);
            long sequence = 0;
            long aborted = -1;
            while (!stop.get() && failure.get() == null)
            {
                final int length = MIN_LENGTH + (int)(sequence % 41);
                final boolean abortOnce = sequence % 7 == 1 && aborted != sequence; // padding the consumer skips
                if (sequence % 2 == 0 && !abortOnce)
                {
                    TestMessages.write(message, 0, producerId, sequence);
                    if (producer.offer(TestMessages.TYPE_ID, message, 0, length))
                    {
                        sequence++;
                        continue;
                    }
                    Thread.yield(); // full
                    continue;
                }
                final int index = producer.tryClaim(TestMessages.TYPE_ID, length);
                if (index < 0)
                {
                    Thread.yield(); // full
                }
                else if (abortOnce)
                {
                    aborted = sequence;
                    producer.abort(index); // the sequence is sent again
                }
                else
                {
                    TestMessages.write(producer.buffer(), index, producerId, sequence++);
                    producer.commit(index);
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    private static void consume(final RingFile file, final long[] next, final AtomicBoolean stop,
        final AtomicReference<Throwable> failure)
    {
        try (MpscConsumer consumer = new MpscConsumer(file))
        {
            while (!stop.get() && failure.get() == null)
            {
                if (consumer.poll((typeId, buffer, offset, length) -> check(next, buffer, offset, length), 64) == 0)
                {
                    Thread.yield();
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    private static void check(final long[] next, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_LENGTH)
        {
            throw new AssertionError("short message: length=" + length);
        }
        final int producerId = buffer.getInt(offset + TestMessages.PRODUCER_ID_OFFSET);
        final long sequence = buffer.getLong(offset + TestMessages.SEQUENCE_OFFSET);
        if (producerId < 0 || producerId >= next.length ||
            buffer.getLong(offset + TestMessages.CHECKSUM_OFFSET) != TestMessages.checksum(producerId, sequence))
        {
            throw new AssertionError("torn message: producerId=" + producerId + " sequence=" + sequence);
        }
        if (sequence != next[producerId])
        {
            throw new AssertionError("out of order, lost or repeated: producerId=" + producerId + " sequence=" + sequence +
                " expected=" + next[producerId]);
        }
        next[producerId]++;
    }
}
