package io.shmring.aeron;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the aeron publisher does beyond the contract: not connected as a return value, claims longer than one
 * Aeron fragment, and the limits a term length sets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronPublisherTest
{
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception
    {
        while (!resources.isEmpty())
        {
            resources.pop().close();
        }
        assertEquals(List.of(), AeronTestSupport.ownDriverDirectories());
    }

    @Test
    void shouldReturnFalseAndNoSpaceWhileNoSubscriberIsConnected() throws Exception
    {
        final AeronPublisher publisher = track((AeronPublisher)Transports.publisher(
            "aeron:udp?endpoint=127.0.0.1:" + AeronTestSupport.freeUdpPort() + "|term-length=64k"));
        final UnsafeBuffer source = new UnsafeBuffer(new byte[16]);

        assertFalse(publisher.isConnected());
        assertFalse(publisher.offer(1, source, 0, 16));
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, publisher.tryClaim(1, 16));
        assertEquals(Publisher.INSUFFICIENT_CAPACITY, publisher.tryClaim(1, 4000), "a staged claim also needs a window");
        assertFalse(publisher.offer(1, source, 0, 16, 50, TimeUnit.MILLISECONDS));
        assertTrue(publisher.notConnected() >= 4, "counted: " + publisher.notConnected());
    }

    @Test
    void shouldDeliverClaimsOnBothSidesOfTheFragmentLimitInOrder() throws Exception
    {
        final AeronSubscriber subscriber = track((AeronSubscriber)Transports.subscriber(
            "aeron:udp?endpoint=127.0.0.1:0|term-length=64k|mtu=1408&maxMessageLength=6000"));
        final Publisher publisher = track(Transports.publisher(subscriber.publisherUri()));
        final int[] lengths = {0, 1, 1367, 1368, 1369, 1400, 2800, 6000, 5, 1368};
        for (int i = 0; i < lengths.length; i++)
        {
            final int index = claim(publisher, i, lengths[i]);
            for (int k = 0; k < lengths[i]; k++)
            {
                publisher.buffer().putByte(index + k, (byte)(i * 31 + k));
            }
            publisher.commit(index);
        }
        publisher.flush();

        final List<String> errors = new ArrayList<>();
        final int[] next = {0};
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (next[0] < lengths.length && System.nanoTime() - deadline < 0)
        {
            subscriber.take((typeId, buffer, offset, length) ->
            {
                final int i = next[0]++;
                if (typeId != i || length != lengths[i])
                {
                    errors.add("message " + i + ": typeId=" + typeId + " length=" + length);
                    return;
                }
                for (int k = 0; k < length; k++)
                {
                    if (buffer.getByte(offset + k) != (byte)(i * 31 + k))
                    {
                        errors.add("message " + i + " byte " + k);
                        return;
                    }
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
        }
        assertEquals(List.of(), errors);
        assertEquals(lengths.length, next[0]);
    }

    @Test
    void shouldRejectMaxMessageLengthTheTermCannotCarry()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Transports.publisher(
            "aeron:udp?endpoint=127.0.0.1:" + AeronTestSupport.freeUdpPort() + "|term-length=64k&maxMessageLength=8185"));
        assertTrue(ex.getMessage().startsWith("maxMessageLength=8185 needs Aeron messages of 8193 bytes but this " +
            "publication takes at most 8192 (term-length/8 with term-length=65536)"), ex.getMessage());
    }

    @Test
    void shouldTakeLargestMessageTheTermAllowsWhenUriGivesNone()
    {
        final Publisher publisher = track(Transports.publisher(
            "aeron:udp?endpoint=127.0.0.1:" + AeronTestSupport.freeUdpPort() + "|term-length=64k"));

        assertEquals(8192 - 8, publisher.maxMessageLength());
    }

    @Test
    void shouldRefuseSecondEmbeddedDriverSetting()
    {
        final Subscriber first = track(Transports.subscriber("aeron:ipc?driverIdle=yield"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("aeron:ipc?driverIdle=spin"));

        assertTrue(ex.getMessage().startsWith("this JVM's embedded media driver already runs with driverIdle=yield"),
            ex.getMessage());
        assertFalse(first.isEndOfStream());
    }

    @Test
    void shouldNameTheDirectoryWhenNoExternalDriverRuns()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("aeron:ipc?aeronDir=/dev/shm/shmring-test-no-driver-here"));

        assertTrue(ex.getMessage().startsWith("no media driver runs in aeronDir=/dev/shm/shmring-test-no-driver-here"),
            ex.getMessage());
    }

    private static int claim(final Publisher publisher, final int typeId, final int length) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0)
        {
            final int index = publisher.tryClaim(typeId, length);
            if (index >= 0)
            {
                return index;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no claim within 20 s: length=" + length);
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.push(resource);
        return resource;
    }
}
