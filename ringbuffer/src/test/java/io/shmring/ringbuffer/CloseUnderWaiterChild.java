package io.shmring.ringbuffer;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import io.shmring.sync.Eventcount;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child JVM of {@link CloseUnderWaiterTest}: a thread waits on an end (a consumer's take on an empty ring, or a
 * producer's timed offer on a full one), and the main thread closes that end, the other end and the file while it is
 * asleep. Prints one line per round naming what the waiter got, then {@code SURVIVED}; a JVM that unmapped the file
 * under the waiter dies of SIGSEGV or SIGBUS instead.
 * <p>
 * Arguments: ring kind, {@code consumer} or {@code producer} (the waiting end), rounds.
 */
public final class CloseUnderWaiterChild
{
    private static final long WAIT_SECONDS = 60;

    private CloseUnderWaiterChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final RingKind kind = RingKind.valueOf(args[0]);
        final boolean consumerWaits = "consumer".equals(args[1]);
        final int rounds = Integer.parseInt(args[2]);
        for (int round = 0; round < rounds; round++)
        {
            final Path path = TestPaths.uniqueShmPath("close-under-waiter");
            try
            {
                System.out.println("round " + round + ": waiter got " + closeUnderWaiter(path, kind, consumerWaits));
            }
            finally
            {
                Files.deleteIfExists(path);
            }
        }
        System.out.println("SURVIVED");
    }

    private static String closeUnderWaiter(final Path path, final RingKind kind, final boolean consumerWaits)
        throws Exception
    {
        final RingFile file = RingFile.create(path, RingKinds.config(kind, 1024));
        final Subscriber consumer = RingKinds.consumer(kind, file);
        final Publisher producer = RingKinds.producer(kind, file);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[56]);
        if (!consumerWaits)
        {
            while (producer.offer(1, message, 0, message.capacity()))
            {
                // fill the ring: the timed offer below must sleep for space
            }
        }
        final AtomicReference<String> outcome = new AtomicReference<>("nothing yet");
        final Thread waiter = new Thread(() ->
        {
            try
            {
                outcome.set(consumerWaits ?
                    "take returned " + consumer.take((typeId, buffer, offset, length) -> { }, 1, WAIT_SECONDS, TimeUnit.SECONDS) :
                    "offer returned " + producer.offer(1, message, 0, message.capacity(), WAIT_SECONDS, TimeUnit.SECONDS));
            }
            catch (final Throwable ex)
            {
                outcome.set(ex.getClass().getSimpleName());
            }
        });
        waiter.start();
        final Eventcount line = consumerWaits ? new RingWakeups(file, RingWakeups.defaultWaitStrategy()).notEmpty() :
            new RingWakeups(file, RingWakeups.defaultWaitStrategy()).notFull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS / 2);
        while (line.waiters() == 0) // the waiter registered: it is asleep, or about to be
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the waiter never went to sleep: " + outcome.get());
            }
            Thread.sleep(1);
        }
        // the waiting end first (from another thread, as README allows), then the other end, then the file
        (consumerWaits ? consumer : producer).close();
        (consumerWaits ? producer : consumer).close();
        file.close();
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (waiter.isAlive())
        {
            throw new IllegalStateException("the waiter did not return after its end was closed");
        }
        return outcome.get();
    }
}
