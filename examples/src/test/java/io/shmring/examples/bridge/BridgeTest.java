package io.shmring.examples.bridge;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarding loop between two shm rings, in threads: order, waiting out a full destination, the end of the
 * stream, a clean stop and a frame too long for the destination (nothing read but not forwarded is lost).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeTest
{
    private static final Bridge.Settings SETTINGS = new Bridge.Settings(64, 0, false, 0, TimeUnit.SECONDS.toNanos(5));

    private final Path sourceRing = TestPaths.uniqueShmPath("bridge-src");
    private final Path destinationRing = TestPaths.uniqueShmPath("bridge-dst");
    private final List<String> report = new ArrayList<>();

    @AfterEach
    void deleteRings()
    {
        TestPaths.deleteQuietly(sourceRing);
        TestPaths.deleteQuietly(destinationRing);
    }

    @Test
    void shouldForwardEveryFrameInOrderThroughAFullDestinationAndEndAtEndOfStream() throws Exception
    {
        final int count = 200_000;
        final String destinationUri = "shm:" + destinationRing + "?capacity=64k";
        final Bridge.Outcome outcome;
        final List<Long> received = new ArrayList<>();
        try (Subscriber source = Transports.subscriber("shm:" + sourceRing + "?capacity=64k");
             Publisher destination = Transports.publisher(destinationUri);
             Subscriber reader = Transports.subscriber(destinationUri))
        {
            final CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write("shm:" + sourceRing, 0, count));
            final Bridge bridge = new Bridge(source, destination, SETTINGS, report::add);
            final CompletableFuture<Bridge.Outcome> run = CompletableFuture.supplyAsync(() -> run(bridge, () -> false));
            Thread.sleep(200); // the destination (64 KiB) fills while nobody reads: the bridge must wait, not drop
            readAll(reader, received, count);
            outcome = run.get(60, TimeUnit.SECONDS);
            writer.get(60, TimeUnit.SECONDS);
            assertEquals(count, bridge.frames());
            assertEquals(0, bridge.sequence().gaps() + bridge.sequence().behind());
        }
        assertEquals(Bridge.Outcome.END_OF_STREAM, outcome);
        assertInOrder(received, 0, count);
        assertTrue(report.get(report.size() - 1).startsWith("bridge: end of stream after "), report::toString);
    }

    @Test
    void shouldStopOnRequestLeavingUnreadFramesInTheSource() throws Exception
    {
        final int count = 5_000;
        final String sourceUri = "shm:" + sourceRing + "?capacity=1m";
        write("shm:" + sourceRing + "?capacity=1m", 0, count);
        final Bridge.Outcome outcome;
        final long forwarded;
        try (Subscriber source = Transports.subscriber(sourceUri);
             Publisher destination = Transports.publisher("shm:" + destinationRing + "?capacity=64k"))
        {
            final Bridge bridge = new Bridge(source, destination, SETTINGS, report::add);
            final AtomicBoolean stop = new AtomicBoolean();
            final CompletableFuture<Bridge.Outcome> run = CompletableFuture.supplyAsync(() -> run(bridge, stop::get));
            awaitFrames(bridge, 100);
            stop.set(true);
            outcome = run.get(30, TimeUnit.SECONDS);
            forwarded = bridge.frames();
        }
        assertEquals(Bridge.Outcome.STOPPED, outcome);
        assertTrue(forwarded > 0 && forwarded < count, "the 64 KiB destination took some, not all: " + forwarded);

        final List<Long> forwardedFrames = new ArrayList<>();
        try (Subscriber destination = Transports.subscriber("shm:" + destinationRing))
        {
            destination.poll((typeId, buffer, offset, length) -> forwardedFrames.add(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)),
                count);
        }
        final List<Long> left = new ArrayList<>();
        try (Subscriber source = Transports.subscriber(sourceUri))
        {
            source.poll((typeId, buffer, offset, length) -> left.add(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)), count);
        }
        assertInOrder(forwardedFrames, 0, forwarded);
        assertInOrder(left, forwarded, count - forwarded);
    }

    @Test
    void shouldFailOnFrameLongerThanTheDestinationAndLeaveItInTheSource() throws Exception
    {
        final String sourceUri = "shm:" + sourceRing + "?capacity=64k";
        try (Publisher writer = Transports.publisher("shm:" + sourceRing + "?capacity=64k"))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[40]);
            for (final int length : new int[] {8, 8, 40, 8})
            {
                assertTrue(writer.offer(length, payload, 0, length));
            }
        }
        final Bridge bridge;
        final Bridge.Outcome outcome;
        try (Subscriber source = Transports.subscriber(sourceUri);
             Publisher destination = Transports.publisher("shm:" + destinationRing + "?capacity=64k&maxMessageLength=16"))
        {
            bridge = new Bridge(source, destination, new Bridge.Settings(64, 0, false, -1, 0), report::add);
            outcome = bridge.run(() -> false);
        }
        assertEquals(Bridge.Outcome.FAILED, outcome);
        assertEquals(2, bridge.frames());
        assertEquals("a frame of 40 bytes (type 40) is longer than the destination takes (maxMessageLength=16): " +
            "it and the frames after it were not forwarded", bridge.failure());
        final List<Integer> left = new ArrayList<>();
        try (Subscriber source = Transports.subscriber(sourceUri))
        {
            source.poll((typeId, buffer, offset, length) -> left.add(length), 10);
        }
        assertEquals(List.of(40, 8), left);
        assertNull(bridge.sequence());
    }

    static void write(final String uri, final long first, final int count)
    {
        final Publisher publisher = Transports.publisher(uri);
        try
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            for (long i = first; i < first + count; i++)
            {
                payload.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                payload.putLong(8, ~i, ByteOrder.LITTLE_ENDIAN);
                if (!publisher.offer(7, payload, 0, 16, 30, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("no room for 30 s at frame " + i);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            publisher.close(); // an shm publisher never deletes the ring: the subscriber owns it
        }
    }

    private static Bridge.Outcome run(final Bridge bridge, final java.util.function.BooleanSupplier stop)
    {
        try
        {
            return bridge.run(stop);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitFrames(final Bridge bridge, final long frames) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bridge.frames() < frames && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
    }

    private static void readAll(final Subscriber reader, final List<Long> received, final int count) throws InterruptedException
    {
        final MessageHandler handler = (typeId, buffer, offset, length) ->
        {
            final long sequence = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            received.add(typeId == 7 && length == 16 && buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN) == ~sequence ?
                sequence : -1);
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!reader.isEndOfStream() && received.size() < count && System.nanoTime() - deadline < 0)
        {
            reader.take(handler, 1024, 100, TimeUnit.MILLISECONDS);
        }
    }

    private static void assertInOrder(final List<Long> frames, final long first, final long count)
    {
        assertEquals(count, frames.size());
        for (int i = 0; i < frames.size(); i++)
        {
            if (frames.get(i) != first + i)
            {
                assertEquals(first + i, frames.get(i), "frame " + i);
            }
        }
    }
}
