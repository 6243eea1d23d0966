package io.shmring.ringbuffer;

import io.shmring.core.ClosedException;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import io.shmring.sync.Eventcount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread asleep in a timed claim, a timed offer or a take leaves its wait when its end is closed by another thread
 * (ClosedException) or its ring file is deleted (a producer's claim: DESTINATION_GONE), on every ring kind: the
 * waits end long before their 60 s timeouts instead of reporting a full or an empty ring at the end of them. Each
 * close or delete happens only once the waiter is registered asleep on its wake line (a handshake in shared memory).
 */
class WaitEndsOnCloseTest
{
    private static final int CAPACITY = 1024;
    private static final int LENGTH = 56;
    private static final long LONG_WAIT_S = 60;
    private static final MessageHandler IGNORE = (typeId, buffer, offset, length) -> { };

    private final Path path = TestPaths.uniqueShmPath("wait-ends");
    private final List<AutoCloseable> resources = new ArrayList<>();

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
    void shouldThrowClosedFromATimedClaimWhoseProducerAnotherThreadCloses(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        track(RingKinds.consumer(kind, file));
        final Publisher producer = track(RingKinds.producer(kind, file));
        final CompletableFuture<Integer> claim = claimAsleepOnAFullRing(file, producer);
        producer.close();
        assertInstanceOf(ClosedException.class, failureOf(claim), "a claim whose producer was closed");
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldReturnDestinationGoneFromATimedClaimWhoseRingIsDeleted(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        track(RingKinds.consumer(kind, file));
        final Publisher producer = track(RingKinds.producer(kind, file));
        final CompletableFuture<Integer> claim = claimAsleepOnAFullRing(file, producer);
        assertTrue(file.delete());
        assertEquals(Publisher.DESTINATION_GONE, claim.get(LONG_WAIT_S, TimeUnit.SECONDS),
            "a claim whose ring was deleted is told so (at the producer's next heartbeat), not that the ring is full");
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldThrowClosedFromATakeWhoseConsumerAnotherThreadCloses(final RingKind kind) throws Exception
    {
        final RingFile file = track(RingFile.create(path, RingKinds.config(kind, CAPACITY)));
        final Subscriber consumer = track(RingKinds.consumer(kind, file));
        track(RingKinds.producer(kind, file));
        final CompletableFuture<Integer> take = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return consumer.take(IGNORE, 1, LONG_WAIT_S, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        awaitAsleep(new RingWakeups(file, RingWakeups.defaultWaitStrategy()).notEmpty());
        consumer.close();
        assertInstanceOf(ClosedException.class, failureOf(take), "a take whose consumer was closed");
    }

    /**
     * Fill the ring, start a timed claim on another thread, and return once it is registered asleep on not-full.
     */
    private static CompletableFuture<Integer> claimAsleepOnAFullRing(final RingFile file, final Publisher producer)
        throws InterruptedException
    {
        fill(producer);
        final CompletableFuture<Integer> claim = CompletableFuture.supplyAsync(() -> claimOrFail(producer));
        awaitAsleep(new RingWakeups(file, RingWakeups.defaultWaitStrategy()).notFull());
        return claim;
    }

    private static int claimOrFail(final Publisher producer)
    {
        try
        {
            return producer.tryClaim(1, LENGTH, LONG_WAIT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return what the call threw; fails if it returned (a wait that ran out reports a full or an empty ring).
     */
    private static Throwable failureOf(final CompletableFuture<Integer> call) throws Exception
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> call.get(LONG_WAIT_S, TimeUnit.SECONDS),
            () -> "the wait returned " + call.getNow(null) + " instead of failing");
        return ex.getCause();
    }

    private static void awaitAsleep(final Eventcount line) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LONG_WAIT_S);
        while (line.waiters() == 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "the waiter never registered on its wake line");
            Thread.sleep(1);
        }
    }

    private static void fill(final Publisher producer)
    {
        int index;
        while ((index = producer.tryClaim(1, LENGTH)) >= 0)
        {
            producer.commit(index);
        }
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, index);
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }
}
