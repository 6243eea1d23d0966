package io.shmring.ringbuffer.transport;

import io.shmring.ringbuffer.IncompatibleRingException;
import io.shmring.core.Publisher;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.ringbuffer.RingGoneException;
import io.shmring.ringbuffer.RingWakeups;
import io.shmring.sync.Background;
import io.shmring.sync.Sleepers;
import io.shmring.sync.WakeMechanism;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShmTransportProviderTest
{
    private final String name = "shmring-provider-" + ProcessHandle.current().pid() + "-" +
        Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Path ring = SharedMemoryDirectory.resolve(name);

    @AfterEach
    void deleteRing() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldCreateMpscRingAndAcceptTwoPublishers() throws Exception
    {
        final String uri = "shm:" + ring + "?capacity=64k&kind=mpsc";
        try (Subscriber subscriber = Transports.subscriber(uri);
            Publisher first = Transports.publisher(uri);
            Publisher second = Transports.publisher(uri))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            assertTrue(first.offer(1, payload, 0, 8));
            assertTrue(second.offer(2, payload, 0, 8));
            final List<Integer> types = new ArrayList<>();
            assertEquals(2, subscriber.poll((t, b, o, l) -> types.add(t), 10));
            assertEquals(List.of(1, 2), types);
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?kind=maybe"));
        assertTrue(ex.getMessage().contains("kind") && ex.getMessage().contains("mpsc"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownWaitNamingItWithoutCreatingTheFile()
    {
        final IllegalArgumentException bogus = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("shm:" + ring + "?wait=nap"));
        assertTrue(bogus.getMessage().contains("wait=nap") && bogus.getMessage().contains("backoff") &&
            bogus.getMessage().contains("semaphore"), bogus.getMessage());
        assertFalse(Files.exists(ring), "nothing created");
    }

    @ParameterizedTest
    @CsvSource({ "futex, FUTEX", "semaphore, SEMAPHORE", "backoff, FUTEX", "spin, FUTEX" })
    void shouldRecordTheWaitsWakeMechanismInTheRingItCreates(final String wait, final WakeMechanism expected) throws Exception
    {
        assumeTrue(expected.isSupported(), expected + " unsupported here");
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?capacity=64k&wait=" + wait))
        {
            assertEquals(expected, ((ShmSubscriber)subscriber).file().wakeMechanism());
        }
    }

    @ParameterizedTest
    @CsvSource({ "futex, semaphore, FUTEX, SEMAPHORE", "semaphore, futex, SEMAPHORE, FUTEX" })
    void shouldRejectOpenerAskingForWakeMechanismTheFileDoesNotHaveNamingBoth(
        final String creatorWait, final String openerWait, final String fileMechanism, final String askedMechanism) throws Exception
    {
        assumeTrue(WakeMechanism.SEMAPHORE.isSupported() && WakeMechanism.FUTEX.isSupported(), "needs both mechanisms");
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?capacity=64k&kind=mpsc&wait=" + creatorWait))
        {
            final IncompatibleRingException ex = assertThrows(IncompatibleRingException.class,
                () -> Transports.publisher("shm:" + ring + "?kind=mpsc&wait=" + openerWait));
            assertTrue(ex.getMessage().contains("wakeMechanism=" + fileMechanism) &&
                ex.getMessage().contains("wait=" + openerWait) && ex.getMessage().contains("wakeMechanism=" + askedMechanism),
                ex.getMessage());
            // a polling opener works with either mechanism, and its commits still wake the sleeping subscriber
            try (Publisher polling = Transports.publisher("shm:" + ring + "?kind=mpsc&wait=yield"))
            {
                assertTrue(polling.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
                assertEquals(1, subscriber.take((t, b, o, l) -> { }, 10, 5, TimeUnit.SECONDS));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({ "spsc, futex", "spsc, semaphore", "mpsc, futex", "mpsc, semaphore" })
    void shouldSleepInTakeAndDeliverWhatThePublisherSends(final String kind, final String wait) throws Exception
    {
        assumeTrue(ShmWait.fromUri(wait).mechanism().isSupported(), wait + " unsupported here");
        final String uri = "shm:" + ring + "?capacity=64k&kind=" + kind + "&wait=" + wait;
        final int[] received = new int[1];
        try (Subscriber subscriber = Transports.subscriber(uri);
            Publisher publisher = Transports.publisher(uri);
            Background<Integer> take = Background.start("shm-take",
                () -> subscriber.take((t, b, o, l) -> received[0] = b.getInt(o), 10, 60, TimeUnit.SECONDS),
                ((ShmPublisher)publisher).wakeups()::signalNotEmpty))
        {
            final RingWakeups subscriberWakeups = ((ShmSubscriber)subscriber).wakeups();
            Sleepers.awaitSleeping(subscriberWakeups.notEmpty());
            assertFalse(take.isDone(), "take returned from an empty ring");

            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            message.putInt(0, 42);
            assertTrue(publisher.offer(5, message, 0, 8));

            assertEquals(1, take.get(60)); // only a hang takes this long
            assertEquals(42, received[0]);
            assertEquals(0, subscriberWakeups.notEmpty().timeouts(), subscriberWakeups.toString());
            assertEquals(0, subscriberWakeups.notEmpty().waiters(), subscriberWakeups.toString());
            // Whether the publisher's wake or the end of a 20 ms slice (the transport's) ended the sleep depends on
            // the scheduler: printed. AbstractBlockingWakeupTest proves the wake itself with slices no test outlasts.
            System.out.println("shm " + kind + " " + wait + " take woken: publisher " + ((ShmPublisher)publisher).wakeups() +
                " | subscriber " + subscriberWakeups);
        }
    }

    @ParameterizedTest
    @CsvSource({ "spsc, futex", "spsc, semaphore", "mpsc, futex", "mpsc, semaphore" })
    void shouldSleepInTimedOfferOnFullRingAndSendOnceTheSubscriberFreesSpace(final String kind, final String wait) throws Exception
    {
        assumeTrue(ShmWait.fromUri(wait).mechanism().isSupported(), wait + " unsupported here");
        final String uri = "shm:" + ring + "?capacity=4k&kind=" + kind + "&wait=" + wait;
        try (Subscriber subscriber = Transports.subscriber(uri);
            Publisher publisher = Transports.publisher(uri))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
            int sent = 0;
            while (publisher.offer(1, message, 0, message.capacity()))
            {
                message.putInt(0, ++sent);
            }
            final RingWakeups publisherWakeups = ((ShmPublisher)publisher).wakeups();
            try (Background<Boolean> offer = Background.start("shm-offer",
                () -> publisher.offer(1, message, 0, message.capacity(), 60, TimeUnit.SECONDS),
                ((ShmSubscriber)subscriber).wakeups()::signalNotFull))
            {
                Sleepers.awaitSleeping(publisherWakeups.notFull());
                assertFalse(offer.isDone(), "offer returned although the ring is full");

                assertEquals(1, subscriber.poll((t, b, o, l) -> { }, 1));

                assertTrue(offer.get(60), "blocked offer timed out"); // only a hang takes this long
            }
            assertEquals(0, publisherWakeups.notFull().waiters(), publisherWakeups.toString());
            // Woken by the subscriber's signal or at the end of a 20 ms slice: the scheduler's choice, printed.
            // AbstractBlockingWakeupTest proves the wake itself with slices no test outlasts.
            System.out.println("shm " + kind + " " + wait + " offer woken: publisher " + publisherWakeups);
            final int[] last = new int[1];
            while (subscriber.poll((t, b, o, l) -> last[0] = b.getInt(o), 100) > 0)
            {
                // drain: the message the blocked offer sent comes last
            }
            assertEquals(sent, last[0]);
        }
    }

    @Test
    void shouldRejectCapacityNotPowerOfTwoNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("shm:" + ring + "?capacity=100k"));
        assertTrue(ex.getMessage().contains("capacity=100k"), ex.getMessage());
    }

    @Test
    void shouldLetPublisherComeFirstAndKeepTheFileForTheNextSubscriber() throws Exception
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        final int[] delivered = new int[1];
        try (Publisher publisher = Transports.publisher("shm:" + name + "?capacity=64k&wait=yield"))
        {
            assertTrue(Files.exists(ring), "a bare name goes in the shared memory directory");
            assertEquals(64 * 1024 / 8, publisher.maxMessageLength());
            assertTrue(publisher.offer(1, source, 0, 8));
            final IncompatibleRingException mismatch = assertThrows(IncompatibleRingException.class,
                () -> Transports.subscriber("shm:" + name + "?capacity=128k"));
            assertTrue(mismatch.getMessage().contains("capacity=65536"), mismatch.getMessage());
            assertEquals(List.of("capacity", "65536", "131072"), List.of(mismatch.field(), mismatch.actual(), mismatch.expected()),
                "both values in bytes, one notation");
            assertTrue(mismatch.getMessage().contains("capacity=131072 (128k)"), mismatch.getMessage());
            try (Subscriber subscriber = Transports.subscriber("shm:" + name))
            {
                assertEquals(1, subscriber.take((t, b, o, l) -> delivered[0]++, 10, 5, TimeUnit.SECONDS));
            }
            assertTrue(Files.exists(ring), "a subscriber's close leaves the ring for the next subscriber");
            assertTrue(publisher.offer(2, source, 0, 8), "the publisher goes on into the same file");
        }
        assertEquals(1, delivered[0]);
        try (Subscriber next = Transports.subscriber("shm:" + name))
        {
            assertEquals(1, next.poll((t, b, o, l) -> delivered[0] += t, 10));
        }
        assertEquals(3, delivered[0], "the next subscriber got the message sent between the two");
    }

    @Test
    void shouldResumeAtTheLastConsumedMessageAfterAGracefulSubscriberRestart() throws Exception
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        final List<Integer> seen = new ArrayList<>();
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k"))
        {
            for (int i = 0; i < 5; i++)
            {
                assertTrue(publisher.offer(i, source, 0, 8));
            }
            try (Subscriber first = Transports.subscriber("shm:" + ring))
            {
                assertEquals(3, first.poll((t, b, o, l) -> seen.add(t), 3));
            }
            for (int i = 5; i < 7; i++)
            {
                assertTrue(publisher.offer(i, source, 0, 8), "the publisher is still attached to the live file");
            }
            try (Subscriber second = Transports.subscriber("shm:" + ring))
            {
                assertEquals(4, second.poll((t, b, o, l) -> seen.add(t), 10));
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), seen, "every message exactly once, in order, across the restart");
    }

    @Test
    void shouldDeleteTheFileAtCloseWhenAskedOnlyIfEverythingWasConsumedAndNoPublisherIsAttached() throws Exception
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k"))
        {
            assertTrue(publisher.offer(1, source, 0, 8));
            try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?keep=false"))
            {
                assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 0));
            }
            assertTrue(Files.exists(ring), "one unread message and a live publisher: kept");
            try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?keep=false"))
            {
                assertEquals(1, subscriber.poll((t, b, o, l) -> { }, 10));
            }
            assertTrue(Files.exists(ring), "all read but the publisher is still attached: kept");
        }
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?keep=false"))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 10));
        }
        assertFalse(Files.exists(ring), "idle: all consumed, no publisher, keep=false: deleted");
    }

    @Test
    void shouldTellThePublisherWhenItsRingFileIsDeletedUnderIt() throws Exception
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        try (Publisher publisher = Transports.publisher("shm:" + ring + "?capacity=64k"))
        {
            assertTrue(publisher.offer(1, source, 0, 8));
            Files.delete(ring);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a bound only a stopped heartbeat misses
            int result = 0;
            while (result >= 0 && System.nanoTime() - deadline < 0)
            {
                result = publisher.tryClaim(1, 8);
                if (result >= 0)
                {
                    publisher.abort(result);
                    Thread.sleep(10);
                }
            }
            assertEquals(Publisher.DESTINATION_GONE, result, "a distinct status, not back-pressure");
            final RingGoneException gone = assertThrows(RingGoneException.class, () -> publisher.tryClaim(1, 8));
            assertTrue(gone.getMessage().contains(ring.toString()), gone.getMessage());
            assertThrows(RingGoneException.class, () -> publisher.offer(1, source, 0, 8));
        }
    }

    @Test
    void shouldKeepFileWhenAsked() throws Exception
    {
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?capacity=64k&keep=true"))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
            assertTrue(Files.exists(ring));
        }
        assertTrue(Files.exists(ring), "keep=true leaves the file");
    }

    @Test
    void shouldOpenBothEndsWhenTheyRaceToCreateTheSameRing() throws Exception
    {
        final String uri = "shm:" + ring + "?capacity=64k";
        final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);
        try
        {
            for (int round = 0; round < 300; round++)
            {
                final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                final java.util.concurrent.Future<Subscriber> subscriber = executor.submit(() ->
                {
                    start.await();
                    return Transports.subscriber(uri);
                });
                final java.util.concurrent.Future<Publisher> publisher = executor.submit(() ->
                {
                    start.await();
                    return Transports.publisher(uri);
                });
                try (Subscriber s = subscriber.get(); Publisher p = publisher.get())
                {
                    assertTrue(p.offer(round, new UnsafeBuffer(new byte[8]), 0, 8), "round " + round);
                    assertEquals(1, s.poll((t, b, o, l) -> { }, 10), "round " + round);
                }
                Files.deleteIfExists(ring);
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
