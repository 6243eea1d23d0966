package io.shmring.core.internal.stream;

import io.shmring.core.InsecureFileException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.UntrustedPeerException;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.OtherUser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Squatting: another local user ({@link OtherUser}) makes the FIFO or listens on the socket a root
 * process is about to use; root refuses. And the way two accounts share on purpose: {@code group=}.
 * Skipped, saying why, where processes cannot be started as another user.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OtherUserStreamTest
{
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(30);

    private static OtherUser otherUser;

    @BeforeAll
    static void prepare() throws Exception
    {
        otherUser = OtherUser.prepareOrSkip("OtherUserStreamTest");
    }

    @AfterAll
    static void cleanUp() throws Exception
    {
        if (otherUser != null)
        {
            otherUser.close();
        }
    }

    @Test
    void shouldRefuseFifoAnotherUserMadeWhateverItsMode() throws Exception
    {
        final Path fifo = otherUser.stickyDirectory().resolve("squatted.fifo");
        assertEquals(0, Posix.mkfifo(fifo.toString(), 0600));
        Files.setAttribute(fifo, "unix:uid", OtherUser.ID);
        Files.setAttribute(fifo, "unix:gid", OtherUser.ID);
        for (final int mode : new int[] {0666, 0600})
        {
            Files.setAttribute(fifo, "unix:mode", mode);
            final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> Transports.publisher("fifo:" + fifo));
            assertTrue(ex.getMessage().contains("belongs to another user") || ex.getMessage().contains("other users have access"),
                ex.getMessage());
            assertTrue(ex.getMessage().contains("owner=" + OtherUser.NAME), ex.getMessage());
            assertThrows(InsecureFileException.class, () -> Transports.subscriber("fifo:" + fifo));
        }
    }

    @Test
    void shouldRefuseToPublishToSocketAnotherUserListensOnUnlessAllowed() throws Exception
    {
        final Path socket = otherUser.stickyDirectory().resolve("squatted.sock");
        try (ChildProcess squatter = ChildProcess.start(otherUser.builder(StreamPeerMain.class, "subscribe",
            "uds:" + socket + "?keep=true")))
        {
            squatter.awaitLine("ready", WAIT_MS);
            final InsecureFileException file = assertThrows(InsecureFileException.class, () -> Transports.publisher("uds:" + socket));
            assertTrue(file.getMessage().contains("belongs to another user"), file.getMessage());

            Files.setAttribute(socket, "unix:uid", 0); // the file now looks like ours: the listener still is not
            final UntrustedPeerException listener = assertThrows(UntrustedPeerException.class,
                () -> Transports.publisher("uds:" + socket));
            assertTrue(listener.getMessage().contains("runs as user " + OtherUser.NAME), listener.getMessage());

            try (Publisher trusting = Transports.publisher("uds:" + socket + "?allowUid=" + OtherUser.ID))
            {
                assertTrue(trusting.offer(4, new UnsafeBuffer(new byte[8]), 0, 8, 10, TimeUnit.SECONDS));
            }
            squatter.awaitLineCount("frame 4 8", 1, WAIT_MS);
            assertEquals(1, squatter.lines().stream().filter((line) -> line.startsWith("frame")).count(),
                "only the publisher that allowed this user sent anything: " + squatter.lines());
            squatter.process().getOutputStream().close();
            assertEquals(0, squatter.awaitExit(WAIT_MS));
        }
    }

    @Test
    void shouldShareSocketWithAnotherAccountOfTheGroup() throws Exception
    {
        final Path socket = otherUser.stickyDirectory().resolve("shared.sock");
        try (Subscriber subscriber = Transports.subscriber("uds:" + socket + "?group=" + OtherUser.ID))
        {
            assertEquals("error " + InsecureFileException.class.getName(), publishAsOtherUser("uds:" + socket, 3, subscriber)
                .split(" refusing")[0], "without group= the other account refuses a socket its group may use");
            assertEquals("sent 3", publishAsOtherUser("uds:" + socket + "?group=" + OtherUser.ID, 3, subscriber));
        }
    }

    @Test
    void shouldShareFifoWithAnotherAccountOfTheGroup() throws Exception
    {
        final Path fifo = otherUser.stickyDirectory().resolve("shared.fifo");
        try (Subscriber subscriber = Transports.subscriber("fifo:" + fifo + "?group=" + OtherUser.ID))
        {
            assertEquals("error " + InsecureFileException.class.getName(), publishAsOtherUser("fifo:" + fifo, 3, subscriber)
                .split(" refusing")[0], "without group= the other account refuses a FIFO its group may use");
            assertEquals("sent 3", publishAsOtherUser("fifo:" + fifo + "?group=" + OtherUser.ID, 3, subscriber));
        }
    }

    /**
     * Publish {@code count} frames as the other user, receiving them here; return what the child said.
     */
    private static String publishAsOtherUser(final String uri, final int count, final Subscriber subscriber) throws Exception
    {
        try (ChildProcess child = ChildProcess.start(otherUser.builder(StreamPeerMain.class, "publish", uri,
            Integer.toString(count))))
        {
            final List<Integer> types = new ArrayList<>();
            final long deadline = System.currentTimeMillis() + WAIT_MS;
            while (child.process().isAlive() && System.currentTimeMillis() < deadline)
            {
                subscriber.take((t, b, o, l) -> types.add(t), 16, 50, TimeUnit.MILLISECONDS);
            }
            final int exit = child.awaitExit(WAIT_MS);
            while (types.size() < count && exit == 0 && System.currentTimeMillis() < deadline)
            {
                subscriber.take((t, b, o, l) -> types.add(t), 16, 50, TimeUnit.MILLISECONDS);
            }
            final String said = child.lines().isEmpty() ? "exit " + exit : child.lines().get(child.lines().size() - 1);
            if (exit == 0)
            {
                assertEquals(count, types.size(), "frames from the other user: " + types);
            }
            else
            {
                assertEquals(List.of(), types, "nothing from a publisher that refused: " + said);
            }
            return said;
        }
    }
}
