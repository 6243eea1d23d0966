package io.shmring.ringbuffer.transport;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.Publisher;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.contract.ContractPeer;
import io.shmring.core.contract.Scenario;
import io.shmring.core.contract.ScenarioReceiver;
import io.shmring.core.internal.stream.SocketSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prints one-way throughput of 64-byte messages over every transport, publisher in a thread of this
 * JVM and in a child JVM, for the report; checks every message arrived but asserts no speed.
 * Run with {@code -Dshmring.throughput=true}.
 */
@EnabledIfSystemProperty(named = "shmring.throughput", matches = "true")
class TransportThroughputTest
{
    @Test
    void shouldPrintMessagesPerSecondOfEachTransport() throws Exception
    {
        final Path dir = Files.createTempDirectory("shmring-throughput");
        final String shm = SharedMemoryDirectory.resolve("shmring-throughput-" + ProcessHandle.current().pid()).toString();
        final String[][] transports = {
            { "shm spsc backoff", "shm:" + shm + "?capacity=4m&maxMessageLength=4k", "shm:" + shm + "?capacity=4m&maxMessageLength=4k" },
            { "uds", "uds:" + dir.resolve("t.sock") + "?maxMessageLength=4k", "uds:" + dir.resolve("t.sock") + "?maxMessageLength=4k" },
            { "uds batch=64k", "uds:" + dir.resolve("t.sock") + "?maxMessageLength=4k", "uds:" + dir.resolve("t.sock") + "?maxMessageLength=4k&batch=64k" },
            { "fifo", "fifo:" + dir.resolve("t.fifo") + "?maxMessageLength=4k", "fifo:" + dir.resolve("t.fifo") + "?maxMessageLength=4k" },
            { "fifo batch=64k", "fifo:" + dir.resolve("t.fifo") + "?maxMessageLength=4k", "fifo:" + dir.resolve("t.fifo") + "?maxMessageLength=4k&batch=64k" },
            { "tcp", "tcp://127.0.0.1:0?maxMessageLength=4k", "tcp://127.0.0.1:%d?maxMessageLength=4k" },
            { "tcp batch=64k", "tcp://127.0.0.1:0?maxMessageLength=4k", "tcp://127.0.0.1:%d?maxMessageLength=4k&batch=64k" },
        };
        for (final boolean crossProcess : new boolean[]{ false, true })
        {
            for (final String[] transport : transports)
            {
                final double rate = run(transport[1], transport[2], crossProcess);
                System.out.printf("THROUGHPUT %-18s %-13s %,12.0f msgs/s (64-byte payload)%n",
                    transport[0], crossProcess ? "cross-process" : "in-process", rate);
            }
        }
        for (final String batch : new String[]{ "0", "64k" })
        {
            final double rate = runPipe(batch);
            System.out.printf("THROUGHPUT %-18s %-13s %,12.0f msgs/s (64-byte payload)%n",
                "pipe batch=" + batch, "cross-process", rate);
        }
        Files.deleteIfExists(dir);
    }

    private static double run(final String subscriberUri, final String publisherUri, final boolean crossProcess)
        throws Exception
    {
        final Scenario scenario = Scenario.THROUGHPUT_64;
        try (Subscriber subscriber = Transports.subscriber(subscriberUri))
        {
            final String uri = subscriber instanceof SocketSubscriber && publisherUri.contains("%d") ?
                String.format(publisherUri, ((InetSocketAddress)((SocketSubscriber)subscriber).localAddress()).getPort()) :
                publisherUri;
            final CompletableFuture<?> done;
            if (crossProcess)
            {
                final Process child = ChildJvm.builder(ContractPeer.class, "publish", uri, scenario.name()).start();
                done = child.onExit().thenAccept((p) -> assertEquals(0, p.exitValue()));
            }
            else
            {
                final Publisher publisher = Transports.publisher(uri);
                done = CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        scenario.publish(publisher);
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
            }
            return drain(subscriber, scenario, done);
        }
    }

    private static double runPipe(final String batch) throws Exception
    {
        final Scenario scenario = Scenario.THROUGHPUT_64;
        final Process child = ChildJvm.builder(ContractPeer.class, "publish",
            "pipe:stdout?maxMessageLength=4k&batch=" + batch, scenario.name()).start();
        try (Subscriber subscriber = io.shmring.core.internal.stream.Pipes.fromChild(child, 4096))
        {
            return drain(subscriber, scenario, child.onExit().thenAccept((p) -> assertEquals(0, p.exitValue())));
        }
    }

    /**
     * @return messages per second from the first message to the end of the stream.
     */
    private static double drain(final Subscriber subscriber, final Scenario scenario, final CompletableFuture<?> done)
        throws Exception
    {
        final ScenarioReceiver receiver = new ScenarioReceiver(scenario);
        while (receiver.received() == 0)
        {
            subscriber.take(receiver, 1, 30, TimeUnit.SECONDS);
        }
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (!subscriber.isEndOfStream() && System.nanoTime() - deadline < 0)
        {
            subscriber.take(receiver, 4096, 100, TimeUnit.MILLISECONDS);
        }
        final long elapsed = System.nanoTime() - start;
        done.get(30, TimeUnit.SECONDS);
        assertNull(receiver.failure());
        assertEquals(scenario.expectedCount(), receiver.received());
        assertTrue(subscriber.isEndOfStream());
        return (receiver.received() - 1) * 1e9 / elapsed;
    }
}
