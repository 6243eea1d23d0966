package io.shmring.ringbuffer.transport;

import io.shmring.core.Publisher;
import io.shmring.core.internal.SharedMemoryDirectory;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.contract.TransportContractTest;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The contract over {@code shm:}, both ends in this process; subclasses choose the ring kind.
 */
abstract class ShmTransportContractTest extends TransportContractTest
{
    final Path ring = SharedMemoryDirectory.resolve(
        "shmring-contract-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));

    @AfterEach
    void deleteRingFile() throws Exception
    {
        closeResources();
        Files.deleteIfExists(ring); // the ring outlives its ends (ShmTransportProviderTest covers keep=false)
    }

    String uri()
    {
        return "shm:" + ring + "?capacity=64k&maxMessageLength=" + MAX_MESSAGE_LENGTH + "&kind=" + kind() + "&wait=" + waitValue();
    }

    /**
     * @return the URI's wait: backoff unless a subclass blocks in the kernel.
     */
    String waitValue()
    {
        return "backoff";
    }

    /**
     * @return the URI's ring kind: spsc or mpsc.
     */
    abstract String kind();

    @Override
    protected Subscriber openSubscriber()
    {
        return Transports.subscriber(uri());
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Transports.publisher(uri());
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return uri();
    }
}
