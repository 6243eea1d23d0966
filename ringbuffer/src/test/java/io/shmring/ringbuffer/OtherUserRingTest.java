package io.shmring.ringbuffer;

import io.shmring.core.InsecureFileException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.StreamPeerMain;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.OtherUser;
import io.shmring.ringbuffer.liveness.PartyStatus;
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
 * Squatting on a ring: another local user ({@link OtherUser}) makes the ring file a root process is about to use, in
 * a sticky directory like /dev/shm, and consumes from it; root refuses to publish there whatever the file's mode, but
 * may still inspect it. And the way two accounts share a ring on purpose: {@code group=} on both sides, whichever
 * creates it. Skipped, saying why, where processes cannot be started as another user.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OtherUserRingTest
{
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(60);
    private static final int COUNT = 3;

    private static OtherUser otherUser;

    @BeforeAll
    static void prepare() throws Exception
    {
        otherUser = OtherUser.prepareOrSkip("OtherUserRingTest");
    }

    @AfterAll
    static void cleanUp() throws Exception
    {
        if (otherUser != null)
        {
            otherUser.close(); // deletes the sticky directories and the rings in them
        }
    }

    @Test
    void shouldRefuseToPublishToRingAnotherUserMadeWhateverItsModeButStillInspectIt() throws Exception
    {
        final Path ring = otherUser.stickyDirectory().resolve("squatted");
        try (ChildProcess squatter = ChildProcess.start(otherUser.builder(StreamPeerMain.class, "subscribe", "shm:" + ring)))
        {
            squatter.awaitLine("ready", WAIT_MS);
            for (final int mode : new int[] {0666, 0600})
            {
                Files.setAttribute(ring, "unix:mode", mode); // as the squatter may: its file
                final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> Transports.publisher("shm:" + ring));
                assertTrue(ex.getMessage().startsWith("refusing " + ring + ": "), ex.getMessage());
                assertTrue(ex.getMessage().contains("belongs to another user") || ex.getMessage().contains("other users have access"),
                    ex.getMessage());
                assertTrue(ex.getMessage().contains("owner=" + OtherUser.NAME + "(" + OtherUser.ID + ")") &&
                    ex.getMessage().contains("mode=0" + Integer.toOctalString(mode)), ex.getMessage());
                assertThrows(InsecureFileException.class, () -> RingFile.open(ring, RingKind.SPSC));
            }

            try (RingFile inspected = RingFile.openReadOnly(ring))
            {
                final PartyStatus consumer = inspected.consumerStatus();
                assertTrue(consumer.isHeld(), "an operator sees the squatter attached as the consumer: " + consumer);
                assertTrue(squatter.process().descendants().anyMatch((java) -> java.pid() == consumer.pid()),
                    "the squatter's JVM (below runuser) is the consumer: " + consumer);
                assertEquals(0, inspected.size(), "nothing was published");
            }
            squatter.process().getOutputStream().close();
            assertEquals(0, squatter.awaitExit(WAIT_MS));
            assertEquals(List.of(), squatter.lines().stream().filter((line) -> line.startsWith("frame")).toList(),
                "the squatter received nothing");
        }
    }

    @Test
    void shouldShareRingThisUserCreatedWithAnotherAccountOfTheGroup() throws Exception
    {
        final Path ring = otherUser.stickyDirectory().resolve("shared-by-root");
        try (Subscriber subscriber = Transports.subscriber("shm:" + ring + "?group=" + OtherUser.ID))
        {
            assertEquals(0660, (Integer)Files.getAttribute(ring, "unix:mode") & 07777);
            assertEquals(OtherUser.ID, Files.getAttribute(ring, "unix:gid"));

            final List<String> refused = publishAsOtherUser("shm:" + ring);
            assertTrue(refused.get(refused.size() - 1).startsWith("error " + InsecureFileException.class.getName() +
                " refusing " + ring + ": it belongs to another user"), "without group= the other account refuses it: " + refused);
            assertEquals(List.of(), take(subscriber, 1, 100), "nothing from the account that refused");

            assertEquals(List.of("sent " + COUNT), publishAsOtherUser("shm:" + ring + "?group=" + OtherUser.ID));
            assertEquals(List.of(0, 1, 2), take(subscriber, COUNT, WAIT_MS));
        }
    }

    @Test
    void shouldPublishToRingAnotherAccountOfTheGroupCreated() throws Exception
    {
        final Path ring = otherUser.stickyDirectory().resolve("shared-by-other");
        try (ChildProcess owner = ChildProcess.start(otherUser.builder(StreamPeerMain.class, "subscribe",
            "shm:" + ring + "?group=" + OtherUser.ID)))
        {
            owner.awaitLine("ready", WAIT_MS);
            assertEquals(OtherUser.ID, Files.getAttribute(ring, "unix:uid"));
            assertEquals(0660, (Integer)Files.getAttribute(ring, "unix:mode") & 07777);

            final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> Transports.publisher("shm:" + ring));
            assertTrue(ex.getMessage().contains("belongs to another user"), ex.getMessage());
            try (Publisher publisher = Transports.publisher("shm:" + ring + "?group=" + OtherUser.ID))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < COUNT; i++)
                {
                    assertTrue(publisher.offer(7, payload, 0, 8, WAIT_MS, TimeUnit.MILLISECONDS));
                }
            }
            owner.awaitLineCount("frame 7 8", COUNT, WAIT_MS);
            owner.process().getOutputStream().close();
            assertEquals(0, owner.awaitExit(WAIT_MS));
        }
    }

    /**
     * Run {@link StreamPeerMain} {@code publish URI COUNT} as the other user; return what it printed.
     */
    private static List<String> publishAsOtherUser(final String uri) throws Exception
    {
        try (ChildProcess child = ChildProcess.start(otherUser.builder(StreamPeerMain.class, "publish", uri,
            Integer.toString(COUNT))))
        {
            final int exit = child.awaitExit(WAIT_MS);
            assertTrue(exit == 0 || exit == 2, "published, or reported why not: exit " + exit + " " + child.lines());
            return child.lines();
        }
    }

    /**
     * Take until {@code count} frames arrived or {@code waitMs} passed; return their type ids.
     */
    private static List<Integer> take(final Subscriber subscriber, final int count, final long waitMs) throws InterruptedException
    {
        final List<Integer> types = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (types.size() < count && System.nanoTime() - deadline < 0)
        {
            subscriber.take((typeId, buffer, offset, length) -> types.add(typeId), count - types.size(), 50, TimeUnit.MILLISECONDS);
        }
        return types;
    }
}
