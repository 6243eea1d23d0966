package io.shmring.core.internal.stream;

import io.shmring.core.PeerRefusedException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdsPeerCredentialsTest
{
    @TempDir
    Path directory;

    @Test
    void shouldFailPublisherOpenWhenSubscriberRefusesItsUid() throws Exception
    {
        final Path socket = directory.resolve("refuse.sock");
        final long otherUid = (Posix.getuid() & 0xFFFF_FFFFL) + 1;
        final AtomicInteger delivered = new AtomicInteger();
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber("uds:" + socket + "?allowUid=" + otherUid))
        {
            final PeerRefusedException ex = assertThrows(PeerRefusedException.class,
                () -> Transports.publisher("uds:" + socket), "the peer of our own uid is not on the list");
            assertTrue(ex.getMessage().contains("refused this publisher") && ex.getMessage().contains("allowUid"),
                ex.getMessage());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (subscriber.refusedPeers() == 0 && System.nanoTime() - deadline < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.incrementAndGet(), 10, 10, TimeUnit.MILLISECONDS);
            }
            assertEquals(1, subscriber.refusedPeers());
            assertEquals(0, subscriber.acceptedPeers());
            assertEquals(0, subscriber.connectedPeers());
            assertFalse(subscriber.isEndOfStream(), "a refused peer does not count as a publisher");
            assertEquals(0, subscriber.poll((t, b, o, l) -> delivered.incrementAndGet(), 10));
            assertEquals(0, delivered.get(), "nothing from a refused peer is delivered");
        }
    }

    @Test
    void shouldAcceptPeerWhoseUidIsAllowed() throws Exception
    {
        final Path socket = directory.resolve("accept.sock");
        final long ownUid = Posix.getuid() & 0xFFFF_FFFFL;
        final AtomicInteger delivered = new AtomicInteger();
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber(
            "uds:" + socket + "?allowUid=" + (ownUid + 1) + "," + ownUid);
             Publisher publisher = Transports.publisher("uds:" + socket))
        {
            assertTrue(publisher.offer(1, new UnsafeBuffer(new byte[8]), 0, 8, 30, TimeUnit.SECONDS));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() == 0 && System.nanoTime() - deadline < 0)
            {
                subscriber.take((t, b, o, l) -> delivered.incrementAndGet(), 10, 10, TimeUnit.MILLISECONDS);
            }
            assertEquals(1, delivered.get());
            assertEquals(0, subscriber.refusedPeers());
        }
    }

    @Test
    void shouldCreateSocketFileOwnerOnlyAndDeleteItOnClose() throws Exception
    {
        final Path socket = directory.resolve("mode.sock");
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
            assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(socket));
        }
        assertFalse(Files.exists(socket));
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket + "?keep=true"))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
            assertTrue(Files.exists(socket));
        }
        assertTrue(Files.exists(socket), "keep=true leaves the file");
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
            assertTrue(Files.exists(socket), "a stale socket file is replaced");
        }
    }
}
