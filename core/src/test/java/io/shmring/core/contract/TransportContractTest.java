package io.shmring.core.contract;

import io.shmring.core.ClosedException;
import io.shmring.core.internal.ChildJvm;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.internal.stream.SocketSubscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every transport owes its users, run once per transport by a subclass whose name
 * contains the scheme. A subclass says how to open a subscriber, a publisher connected to it, and
 * optionally a raw byte channel to it (stream transports: hostile input) and whether it runs the
 * publishing side in a child JVM ({@link #crossProcess()}).
 */
@Timeout(value = TransportContractTest.TEST_TIMEOUT_S, unit = TimeUnit.SECONDS)
public abstract class TransportContractTest
{
    /** Largest payload every contract transport is opened with. */
    public static final int MAX_MESSAGE_LENGTH = 4096;

    /**
     * Deadlines below only a hang exceeds, on a busy machine too: a child JVM may take seconds to start, and
     * every wait for it or for its messages ends as soon as what it waits for happens.
     */
    static final long TEST_TIMEOUT_S = 180;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final long PUBLISHER_EXIT_TIMEOUT_S = 60;
    /** A take that has this long for a message that comes sooner must return before it; only a missed wake-up waits it out. */
    private static final long WAKE_TAKE_TIMEOUT_S = 45;
    private static final long LOCAL_TIMEOUT_S = 30;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /**
     * @return a new subscriber with max message length {@link #MAX_MESSAGE_LENGTH}.
     * @throws Exception on failure.
     */
    protected abstract Subscriber openSubscriber() throws Exception;

    /**
     * @param subscriber an open subscriber of this transport.
     * @return a publisher in this process sending to it.
     * @throws Exception on failure.
     */
    protected abstract Publisher openPublisher(Subscriber subscriber) throws Exception;

    /**
     * @param subscriber an open subscriber of this transport.
     * @return the URI a child JVM opens to publish to it.
     */
    protected abstract String publisherUri(Subscriber subscriber);

    /**
     * @return true to run scenario publishers in a child JVM.
     */
    protected boolean crossProcess()
    {
        return false;
    }

    /**
     * @param subscriber an open subscriber.
     * @return a raw byte channel into it, or null if the transport has no byte stream (rings).
     * @throws Exception on failure.
     */
    protected WritableByteChannel openRawChannel(final Subscriber subscriber) throws Exception
    {
        return null;
    }

    /**
     * @return true if several publishers may send to one subscriber at once.
     */
    protected boolean acceptsSeveralPublishers()
    {
        return false;
    }

    /**
     * @param resource closed after the test, last registered first.
     * @param <T>      its type.
     * @return the resource.
     */
    protected <T extends AutoCloseable> T track(final T resource)
    {
        resources.push(resource);
        return resource;
    }

    /**
     * Close every tracked resource, last first.
     *
     * @throws Exception the first failure.
     */
    @AfterEach
    protected void closeResources() throws Exception
    {
        Exception failure = null;
        while (!resources.isEmpty())
        {
            try
            {
                resources.pop().close();
            }
            catch (final Exception ex)
            {
                failure = failure == null ? ex : failure;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * A scenario's subscriber and the running publishing side.
     *
     * @param subscriber where to read.
     * @param publisher  completes when the publisher has sent everything and closed.
     */
    protected record Run(Subscriber subscriber, Future<?> publisher)
    {
    }

    /**
     * Open a subscriber and start publishing the scenario to it, in a thread or in a child JVM.
     *
     * @param scenario what to send.
     * @return the run.
     * @throws Exception on failure.
     */
    protected Run startScenario(final Scenario scenario) throws Exception
    {
        final Subscriber subscriber = track(openSubscriber());
        if (crossProcess())
        {
            final Process child = ChildJvm.builder(
                ContractPeer.class, "publish", publisherUri(subscriber), scenario.name()).start();
            track(child::destroyForcibly);
            return new Run(subscriber, awaitExit(child));
        }
        final Publisher publisher = track(openPublisher(subscriber));
        return new Run(subscriber, CompletableFuture.runAsync(() ->
        {
            try
            {
                scenario.publish(publisher);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }));
    }

    /**
     * @param child a child JVM.
     * @return completes normally when it exits 0, exceptionally otherwise.
     */
    protected static Future<?> awaitExit(final Process child)
    {
        return child.onExit().thenAccept((process) ->
        {
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException("child JVM failed: exit=" + process.exitValue());
            }
        });
    }

    /**
     * Run a scenario to the end of the stream and check every message and the end.
     *
     * @param scenario what to send.
     * @return messages per second from the start of the run to the end of the stream.
     * @throws Exception on failure.
     */
    protected double runScenario(final Scenario scenario) throws Exception
    {
        final long start = System.nanoTime();
        final Run run = startScenario(scenario);
        final ScenarioReceiver receiver = new ScenarioReceiver(scenario);
        drain(run.subscriber(), receiver);
        final long elapsed = System.nanoTime() - start;
        run.publisher().get(PUBLISHER_EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        assertNull(receiver.failure());
        assertEquals(scenario.expectedCount(), receiver.received());
        assertTrue(run.subscriber().isEndOfStream(), "end of stream after the publisher closed");
        assertEquals(0, run.subscriber().take(receiver, 10, 5, TimeUnit.SECONDS), "nothing after the end");
        return receiver.received() * 1e9 / elapsed;
    }

    private static void drain(final Subscriber subscriber, final MessageHandler handler) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (!subscriber.isEndOfStream() && System.nanoTime() - deadline < 0)
        {
            subscriber.take(handler, 1024, 100, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void shouldDeliverEveryMessageInOrder() throws Exception
    {
        runScenario(Scenario.SEQUENCE);
    }

    @Test
    void shouldDeliverEveryLengthFromZeroToMax() throws Exception
    {
        runScenario(Scenario.ALL_LENGTHS);
    }

    @Test
    void shouldDeliverCommittedClaimsAndDropAbortedOnes() throws Exception
    {
        runScenario(Scenario.CLAIMS);
    }

    @Test
    void shouldWakeBlockedTakeWhenMessagesArriveLater() throws Exception
    {
        final Run run = startScenario(Scenario.DELAYED);
        final ScenarioReceiver receiver = new ScenarioReceiver(Scenario.DELAYED);
        // one message a take: a take that finds none waits for the next; one that runs late (this thread was not
        // scheduled for the 200 ms between two messages) finds it there, which is no failure either
        for (int i = 0; i < Scenario.DELAYED.count(); i++)
        {
            final long start = System.nanoTime();
            final int taken = run.subscriber().take(receiver, 1, WAKE_TAKE_TIMEOUT_S, TimeUnit.SECONDS);
            final long elapsed = System.nanoTime() - start;
            System.out.printf("%s: take %d returned after %.1f ms%n", getClass().getSimpleName(), i, elapsed / 1e6);
            assertEquals(1, taken, "take returns the message that arrived while it waited");
            // the first message waits for the publisher to start (a child JVM, maybe), the others 200 ms each
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(WAKE_TAKE_TIMEOUT_S), "take woke before its timeout: elapsed ns=" + elapsed);
        }
        drain(run.subscriber(), receiver);
        run.publisher().get(PUBLISHER_EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        assertNull(receiver.failure());
        assertEquals(Scenario.DELAYED.count(), receiver.received());
        assertTrue(run.subscriber().isEndOfStream());
    }

    @Test
    void shouldReturnZeroFromTakeAfterTimeoutWhenNothingIsSent() throws Exception
    {
        final Subscriber subscriber = track(openSubscriber());
        if (!crossProcess())
        {
            track(openPublisher(subscriber));
        }
        final long start = System.nanoTime();
        assertEquals(0, subscriber.take((t, b, o, l) -> { }, 10, 50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited the whole timeout");
        assertFalse(subscriber.isEndOfStream());
    }

    @Test
    void shouldEndTakePromptlyWhenInterrupted() throws Exception
    {
        final Subscriber subscriber = track(openSubscriber());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> subscriber.take((t, b, o, l) -> { }, 10, 10, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted(), "the interrupt was consumed by the exception");
    }

    @Test
    void shouldRejectMessageLongerThanMaxMessageLength() throws Exception
    {
        final Publisher publisher = localPublisher();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[MAX_MESSAGE_LENGTH + 1]);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> publisher.offer(1, source, 0, MAX_MESSAGE_LENGTH + 1));
        assertTrue(ex.getMessage().contains("length=" + (MAX_MESSAGE_LENGTH + 1)), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> publisher.tryClaim(1, MAX_MESSAGE_LENGTH + 1));
        assertEquals(MAX_MESSAGE_LENGTH, publisher.maxMessageLength());
    }

    @Test
    void shouldRejectReservedTypeId() throws Exception
    {
        final Publisher publisher = localPublisher();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> publisher.offer(-3, new UnsafeBuffer(new byte[8]), 0, 8));
        assertTrue(ex.getMessage().contains("typeId=-3"), ex.getMessage());
    }

    @Test
    void shouldRejectDoubleCommitAndAbortWithoutClaim() throws Exception
    {
        final Publisher publisher = localPublisher();
        final int index = claimWithin(publisher, 16);
        publisher.commit(index);
        assertThrows(IllegalStateException.class, () -> publisher.commit(index));
        assertThrows(IllegalStateException.class, () -> publisher.abort(index));
    }

    @Test
    void shouldRejectUseAfterClose() throws Exception
    {
        final Publisher publisher = localPublisher();
        publisher.close();
        assertThrows(ClosedException.class, () -> publisher.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
    }

    @Test
    void shouldDeliverMessageClaimedWithATimeout() throws Exception
    {
        Assumptions.assumeFalse(crossProcess(), "local API check");
        final Subscriber subscriber = track(openSubscriber());
        final Publisher publisher = track(openPublisher(subscriber));
        final int index = publisher.tryClaim(7, 16, LOCAL_TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(index >= 0, "claim result " + index);
        publisher.buffer().putLong(index, 0x1122334455667788L);
        publisher.buffer().putLong(index + 8, -1L);
        publisher.commit(index);
        publisher.flush();
        final List<Long> seen = new ArrayList<>();
        final MessageHandler handler = (typeId, buffer, offset, length) ->
        {
            assertEquals(7, typeId);
            assertEquals(16, length);
            seen.add(buffer.getLong(offset));
            seen.add(buffer.getLong(offset + 8));
        };
        assertEquals(1, subscriber.take(handler, 10, LOCAL_TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(List.of(0x1122334455667788L, -1L), seen);
    }

    @Test
    void shouldRedeliverMessageWhoseHandlerAborted() throws Exception
    {
        Assumptions.assumeFalse(crossProcess(), "local API check");
        final Subscriber subscriber = track(openSubscriber());
        final Publisher publisher = track(openPublisher(subscriber));
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < 2; i++)
        {
            source.putInt(0, i);
            assertTrue(publisher.offer(5, source, 0, 8, LOCAL_TIMEOUT_S, TimeUnit.SECONDS));
        }
        publisher.flush();
        final List<Integer> seen = new ArrayList<>();
        final ControlledMessageHandler abortFirst = (typeId, buffer, offset, length) ->
        {
            seen.add(buffer.getInt(offset));
            return seen.size() == 1 ? ControlledMessageHandler.Action.ABORT : ControlledMessageHandler.Action.CONTINUE;
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCAL_TIMEOUT_S);
        int consumed = 0;
        while (consumed < 2 && System.nanoTime() - deadline < 0)
        {
            consumed += subscriber.controlledPoll(abortFirst, 10);
        }
        assertEquals(2, consumed);
        assertEquals(List.of(0, 0, 1), seen, "the aborted message came again, then the next");
    }

    @Test
    void shouldDeliverFromSeveralPublishersKeepingEachOnesOrder() throws Exception
    {
        Assumptions.assumeTrue(acceptsSeveralPublishers() && !crossProcess(), "transport takes one publisher");
        final Subscriber subscriber = track(openSubscriber());
        final int publishers = 3;
        final int perPublisher = 5_000;
        final List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int p = 0; p < publishers; p++)
        {
            final Publisher publisher = track(openPublisher(subscriber));
            final int typeId = p;
            sends.add(CompletableFuture.runAsync(() ->
            {
                final UnsafeBuffer source = new UnsafeBuffer(new byte[4]);
                try
                {
                    for (int i = 0; i < perPublisher; i++)
                    {
                        source.putInt(0, i);
                        assertTrue(publisher.offer(typeId, source, 0, 4, LOCAL_TIMEOUT_S, TimeUnit.SECONDS));
                    }
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
                publisher.close();
            }));
        }
        final int[] next = new int[publishers];
        final List<String> errors = new ArrayList<>();
        final MessageHandler handler = (typeId, buffer, offset, length) ->
        {
            final int sequence = buffer.getInt(offset);
            if (sequence != next[typeId]++)
            {
                errors.add("publisher " + typeId + " sent " + sequence + " expected " + (next[typeId] - 1));
            }
        };
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (sum(next) < publishers * perPublisher && System.nanoTime() - deadline < 0)
        {
            subscriber.take(handler, 1024, 100, TimeUnit.MILLISECONDS);
        }
        for (final CompletableFuture<Void> send : sends)
        {
            send.get(PUBLISHER_EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), errors);
        for (int p = 0; p < publishers; p++)
        {
            assertEquals(perPublisher, next[p], "all of publisher " + p);
        }
    }

    @Test
    void shouldDeliverEarlierFramesThenFailNamingLengthBelowHeader() throws Exception
    {
        final String message = hostileStream(5, 0);
        assertTrue(message.contains("frameLength=5"), message);
    }

    @Test
    void shouldDeliverEarlierFramesThenFailNamingLengthAboveMax() throws Exception
    {
        final int tooLong = 8 + MAX_MESSAGE_LENGTH + 1;
        final String message = hostileStream(tooLong, 0);
        assertTrue(message.contains("frameLength=" + tooLong), message);
    }

    @Test
    void shouldFailOnHugeLengthWithoutAllocatingIt() throws Exception
    {
        final String message = hostileStream(Integer.MAX_VALUE, 0);
        assertTrue(message.contains("frameLength=" + Integer.MAX_VALUE), message);
    }

    @Test
    void shouldDeliverEarlierFramesThenFailNamingMissingBytesOfTruncatedFrame() throws Exception
    {
        final String message = hostileStream(8 + 100, 30);
        assertTrue(message.contains("missing=70"), message);
    }

    /**
     * Write two good frames, then a header announcing {@code badFrameLength} followed by
     * {@code payloadBytes} bytes, then close; expect both good frames, then an exception.
     */
    private String hostileStream(final int badFrameLength, final int payloadBytes) throws Exception
    {
        Assumptions.assumeFalse(crossProcess(), "the in-process test covers the codec");
        final Subscriber subscriber = track(openSubscriber());
        final WritableByteChannel raw = openRawChannel(subscriber);
        Assumptions.assumeTrue(raw != null, "transport has no byte stream");
        track(raw);
        final ByteBuffer bytes = ByteBuffer.allocateDirect(64 + payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++)
        {
            bytes.putInt(8 + 4).putInt(9).putInt(1000 + i);
        }
        bytes.putInt(badFrameLength).putInt(9);
        for (int i = 0; i < payloadBytes; i++)
        {
            bytes.put((byte)i);
        }
        bytes.flip();
        while (bytes.hasRemaining())
        {
            raw.write(bytes);
        }
        raw.close();

        final List<Integer> delivered = new ArrayList<>();
        final MessageHandler handler = (typeId, buffer, offset, length) -> delivered.add(buffer.getInt(offset));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCAL_TIMEOUT_S);
        RuntimeException failure = null;
        while (failure == null && System.nanoTime() - deadline < 0)
        {
            try
            {
                subscriber.take(handler, 1, 100, TimeUnit.MILLISECONDS);
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            if (subscriber instanceof SocketSubscriber && failure == null)
            {
                failure = ((SocketSubscriber)subscriber).lastPeerFailure(); // a socket subscriber drops that connection
            }
        }
        assertEquals(List.of(1000, 1001), delivered, "the frames before the bad one");
        assertTrue(failure != null, "a bad frame fails the stream (on a socket subscriber: its connection)");
        return failure.getMessage();
    }

    private Publisher localPublisher() throws Exception
    {
        Assumptions.assumeFalse(crossProcess(), "local API check");
        final Subscriber subscriber = track(openSubscriber());
        return track(openPublisher(subscriber));
    }

    private static int claimWithin(final Publisher publisher, final int length) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCAL_TIMEOUT_S);
        while (System.nanoTime() - deadline < 0)
        {
            final int index = publisher.tryClaim(1, length);
            if (index >= 0)
            {
                return index;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no claim within " + LOCAL_TIMEOUT_S + " s");
    }

    private static int sum(final int[] values)
    {
        int sum = 0;
        for (final int value : values)
        {
            sum += value;
        }
        return sum;
    }

    /**
     * @param future a publisher's run.
     * @throws Exception its failure.
     */
    protected static void awaitPublisher(final Future<?> future) throws Exception
    {
        try
        {
            future.get(PUBLISHER_EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception ? (Exception)ex.getCause() : ex;
        }
    }
}
