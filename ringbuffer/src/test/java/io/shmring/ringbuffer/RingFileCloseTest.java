package io.shmring.ringbuffer;

import io.shmring.core.ClosedException;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a ring file never crashes the JVM: ends still open are closed with it, every later call on them throws
 * {@link ClosedException} naming the ring, and a thread still inside a call never touches unmapped memory.
 */
class RingFileCloseTest
{
    private static final long GENEROUS_MS = 120_000;

    @Test
    void shouldThrowNamingTheRingOnEveryCallAfterTheFileClosedUnderOpenEnds() throws Exception
    {
        final Path path = TestPaths.uniqueShmPath("close-spsc");
        try
        {
            final RingFile file = RingFile.create(path, RingConfig.spsc(4096));
            final SpscProducer producer = new SpscProducer(file);
            final SpscConsumer consumer = new SpscConsumer(file);
            final int claim = producer.tryClaim(1, 8);
            file.close();

            for (final Runnable call : new Runnable[]{
                () -> producer.tryClaim(1, 8),
                () -> producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8),
                () -> producer.commit(claim),
                producer::buffer,
                () -> consumer.poll((t, b, o, l) -> { }, 1),
                consumer::isEndOfStream,
                file::producerPosition,
                file::consumerStatus})
            {
                final ClosedException ex = assertThrows(ClosedException.class, call::run);
                assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
                assertEquals(path, ex.path());
            }
            producer.close();
            consumer.close();
            file.close();
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldNeverCrashWhenTheFileIsClosedWhileOtherThreadsPollAndClaim() throws Exception
    {
        final int rounds = 1_000;
        int failuresSeen = 0;
        for (int round = 0; round < rounds; round++)
        {
            final RingKind kind = round % 2 == 0 ? RingKind.SPSC : RingKind.MPSC;
            final Path path = TestPaths.uniqueShmPath("close-race");
            try
            {
                final RingFile file = RingFile.create(path, kind == RingKind.SPSC ? RingConfig.spsc(4096) : RingConfig.mpsc(4096));
                final AutoCloseable producer = kind == RingKind.SPSC ? new SpscProducer(file) : new MpscProducer(file);
                final AutoCloseable consumer = kind == RingKind.SPSC ? new SpscConsumer(file) : new MpscConsumer(file);
                final CyclicBarrier start = new CyclicBarrier(3);
                final CountDownLatch done = new CountDownLatch(2);
                final AtomicReference<Throwable> unexpected = new AtomicReference<>();
                final Thread producing = new Thread(() -> runUntilClosed(start, done, unexpected, () ->
                {
                    final io.shmring.core.Publisher publisher = (io.shmring.core.Publisher)producer;
                    final int index = publisher.tryClaim(1, 16);
                    if (index >= 0)
                    {
                        publisher.buffer().putLong(index, 42);
                        publisher.commit(index);
                    }
                }));
                final Thread consuming = new Thread(() -> runUntilClosed(start, done, unexpected, () ->
                    ((io.shmring.core.Subscriber)consumer).poll((t, b, o, l) -> b.getLong(o), 10)));
                producing.start();
                consuming.start();
                start.await(GENEROUS_MS, TimeUnit.MILLISECONDS);
                Thread.sleep(0, round * 1000 % 200_000); // close at a different moment of the loops each round
                file.close();
                assertTrue(done.await(GENEROUS_MS, TimeUnit.MILLISECONDS), "both threads saw the close");
                if (unexpected.get() != null)
                {
                    throw new AssertionError("round " + round, unexpected.get());
                }
                failuresSeen += 2;
                producer.close();
                consumer.close();
            }
            finally
            {
                Files.deleteIfExists(path);
            }
        }
        assertEquals(2 * rounds, failuresSeen);
    }

    /**
     * Call {@code step} until it throws the closed end's {@link ClosedException}; anything else is recorded.
     */
    private static void runUntilClosed(
        final CyclicBarrier start, final CountDownLatch done, final AtomicReference<Throwable> unexpected, final Runnable step)
    {
        try
        {
            start.await(GENEROUS_MS, TimeUnit.MILLISECONDS);
            while (true)
            {
                step.run();
            }
        }
        catch (final ClosedException ex)
        {
            // the end was closed under the thread: what this test waits for
        }
        catch (final Throwable ex)
        {
            unexpected.compareAndSet(null, ex);
        }
        finally
        {
            done.countDown();
        }
    }
}
