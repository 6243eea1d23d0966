package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Publisher#tryClaim(int, int, long, TimeUnit)} on every ring kind: it times out on a ring nobody drains, and
 * succeeds once a consumer frees space, whenever that happens during the wait; the ring producers sleep on the
 * ring's not-full wake line meanwhile, as their timed offers do, and are woken there.
 */
class TimedClaimTest
{
    private static final int CAPACITY = 1024;
    private static final int LENGTH = 56;
    private static final long LONG_WAIT_S = 60;

    private final Path path = TestPaths.uniqueShmPath("timed-claim");
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Integer> received = new ArrayList<>();
    private final MessageHandler handler = (typeId, buffer, offset, length) -> received.add(buffer.getInt(offset));

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        TestPaths.deleteQuietly(path);
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldTimeOutOnAFullRingThenClaimOnceTheConsumerFreesSpace(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        final Subscriber consumer = track(RingKinds.consumer(kind, file));
        final Publisher producer = track(RingKinds.producer(kind, file));
        final int sent = fill(producer);

        assertEquals(Publisher.INSUFFICIENT_CAPACITY, producer.tryClaim(1, LENGTH, 50, TimeUnit.MILLISECONDS),
            "nobody drains the ring, so the timed claim must give up");

        final CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> consumer.poll(handler, 1));
        final int index = producer.tryClaim(1, LENGTH, LONG_WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, drained.get(LONG_WAIT_S, TimeUnit.SECONDS));
        commitAndReceiveInOrder(producer, consumer, index, sent);
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldSleepOnTheNotFullLineUntilTheConsumerFreesSpace(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        final Subscriber consumer = track(RingKinds.consumer(kind, file));
        assertClaimSleepsUntilTheConsumerFreesSpace(file, consumer, track(RingKinds.producer(kind, file)));
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldSleepOnTheNotFullLineThroughAShmUriPublisher(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        final Subscriber consumer = track(RingKinds.consumer(kind, file));
        assertClaimSleepsUntilTheConsumerFreesSpace(file, consumer, track(Transports.publisher("shm:" + path + "?wait=futex")));
    }

    private void assertClaimSleepsUntilTheConsumerFreesSpace(
        final RingFile file, final Subscriber consumer, final Publisher producer) throws Exception
    {
        final int sent = fill(producer);

        // handshake by shared memory: the consumer frees space only once the producer is registered asleep on the
        // not-full line, so the claim can only succeed by being woken there (a back-off never registers)
        final RingWakeups lines = new RingWakeups(file, RingWakeups.defaultWaitStrategy());
        final CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() ->
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LONG_WAIT_S);
            while (lines.notFull().waiters() == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
            return lines.notFull().waiters() > 0 ? consumer.poll(handler, 1) : -1;
        });
        final int index = producer.tryClaim(1, LENGTH, 2 * LONG_WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, drained.get(LONG_WAIT_S, TimeUnit.SECONDS), "the producer never slept on the not-full line");
        commitAndReceiveInOrder(producer, consumer, index, sent);
    }

    /**
     * @return messages claimed and committed (numbered from 0) until the ring was full.
     */
    private static int fill(final Publisher producer)
    {
        int sent = 0;
        int index;
        while ((index = producer.tryClaim(1, LENGTH)) >= 0)
        {
            producer.buffer().putInt(index, sent++);
            producer.commit(index);
        }
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, index);
        assertTrue(sent > 1, "ring took " + sent + " messages");
        return sent;
    }

    /**
     * Commit the timed claim as message number {@code sent}, then read everything and check it came in order.
     */
    private void commitAndReceiveInOrder(final Publisher producer, final Subscriber consumer, final int index, final int sent)
        throws InterruptedException
    {
        assertTrue(index >= 0, "claim result " + index + " after the consumer freed a frame");
        producer.buffer().putInt(index, sent);
        producer.commit(index);
        while (received.size() <= sent)
        {
            assertTrue(consumer.take(handler, 100, LONG_WAIT_S, TimeUnit.SECONDS) > 0, "received " + received.size());
        }
        for (int i = 0; i <= sent; i++)
        {
            assertEquals(i, received.get(i), "message " + i);
        }
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }
}
