package io.shmring.core.internal.stream;

import io.shmring.core.InsecureFileException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FIFOs and socket files of this user whose mode gives more than the URI grants are refused by both
 * sides; {@code group=} shares them with one group (mode 0660). Cases needing another user are in
 * {@link OtherUserStreamTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamFileModeTest
{
    @TempDir
    Path directory;

    @Test
    void shouldRefuseExistingFifoOtherUsersCanOpen() throws Exception
    {
        final Path fifo = fifo("open.fifo", 0666);
        final InsecureFileException publisher = assertThrows(InsecureFileException.class, () -> Transports.publisher("fifo:" + fifo));
        assertTrue(publisher.getMessage().contains("other users have access") && publisher.getMessage().contains("mode=0666"),
            publisher.getMessage());
        assertThrows(InsecureFileException.class, () -> Transports.subscriber("fifo:" + fifo));
        assertTrue(Files.exists(fifo), "a refused FIFO is left alone");
    }

    @Test
    void shouldRefuseFifoItsGroupCanOpenUnlessTheUriSharesThatGroup() throws Exception
    {
        final Path fifo = fifo("group.fifo", 0660);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> Transports.subscriber("fifo:" + fifo));
        assertTrue(ex.getMessage().contains("its group has access"), ex.getMessage());
        final String shared = "?group=" + gid(fifo);
        try (Subscriber subscriber = Transports.subscriber("fifo:" + fifo + shared);
             Publisher publisher = Transports.publisher("fifo:" + fifo + shared))
        {
            assertEquals(List.of(5), exchange(publisher, subscriber, 5));
        }
    }

    @Test
    void shouldMakeFifoForAGroupWithMode0660AndThatGroup() throws Exception
    {
        final Path fifo = directory.resolve("made.fifo");
        final int gid = gid(directory);
        try (Subscriber subscriber = Transports.subscriber("fifo:" + fifo + "?group=" + gid))
        {
            assertEquals(0660, mode(fifo));
            assertEquals(gid, gid(fifo));
            assertThrows(InsecureFileException.class, () -> Transports.publisher("fifo:" + fifo), "no group in the URI");
        }
    }

    @Test
    void shouldRefuseLiveSocketFileOtherUsersCanConnectTo() throws Exception
    {
        final Path socket = directory.resolve("open.sock");
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket))
        {
            Files.setAttribute(socket, "unix:mode", 0666);
            final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> Transports.publisher("uds:" + socket));
            assertTrue(ex.getMessage().contains("other users have access"), ex.getMessage());
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 10));
        }
    }

    @Test
    void shouldRefuseToReplaceStaleSocketFileOfWrongMode() throws Exception
    {
        final Path socket = directory.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file: a stale socket
        }
        Files.setAttribute(socket, "unix:mode", 0666);
        assertThrows(InsecureFileException.class, () -> Transports.subscriber("uds:" + socket));
        Files.setAttribute(socket, "unix:mode", 0600);
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket))
        {
            assertEquals(0600, mode(socket), "a stale socket of the right mode is replaced");
        }
    }

    @Test
    void shouldShareSocketWithAGroupThroughMode0660() throws Exception
    {
        final Path socket = directory.resolve("group.sock");
        final int gid = gid(directory);
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket + "?group=" + gid))
        {
            assertEquals(0660, mode(socket));
            assertEquals(gid, gid(socket));
            assertThrows(InsecureFileException.class, () -> Transports.publisher("uds:" + socket), "no group in the URI");
            try (Publisher publisher = Transports.publisher("uds:" + socket + "?group=" + gid))
            {
                assertEquals(List.of(9), exchange(publisher, subscriber, 9));
            }
        }
    }

    private Path fifo(final String name, final int mode) throws Exception
    {
        final Path fifo = directory.resolve(name);
        assertEquals(0, Posix.mkfifo(fifo.toString(), 0600));
        Files.setAttribute(fifo, "unix:mode", mode);
        return fifo;
    }

    static List<Integer> exchange(final Publisher publisher, final Subscriber subscriber, final int typeId) throws Exception
    {
        assertTrue(publisher.offer(typeId, new UnsafeBuffer(new byte[8]), 0, 8, 10, TimeUnit.SECONDS));
        final List<Integer> types = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (types.isEmpty() && System.nanoTime() - deadline < 0)
        {
            subscriber.take((t, b, o, l) -> types.add(t), 16, 100, TimeUnit.MILLISECONDS);
        }
        return types;
    }

    static int gid(final Path path) throws Exception
    {
        return (Integer)Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(final Path path) throws Exception
    {
        return (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
