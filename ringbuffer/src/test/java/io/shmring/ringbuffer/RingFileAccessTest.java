package io.shmring.ringbuffer;

import io.shmring.core.FileAccess;
import io.shmring.core.InsecureFileException;
import io.shmring.core.Transports;
import io.shmring.core.test.OtherUser;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may use a ring file, as this one user can show it (docs/LAYOUT.md 1.2): a ring whose mode gives its group or
 * other users access, a symbolic link at the ring's path, a directory others may write: refused before the file is
 * mapped, with a message naming path, owner, group and mode. Files made are 0600 (or 0660 with a group). Inspection
 * reads any ring but attaches nothing. Rings of other users: {@link OtherUserRingTest}.
 */
class RingFileAccessTest
{
    private static final long TIMEOUT_MS = 5_000;

    private final Path path = TestPaths.uniqueShmPath("access");
    private final Path link = TestPaths.uniqueShmPath("access-link");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
        TestPaths.deleteQuietly(link);
    }

    @Test
    void shouldCreateRingMode0600ForItsOwnerOnly() throws IOException
    {
        RingFile.create(path, RingConfig.spsc(4096)).close();

        assertEquals(0600, mode(path));
        assertEquals(FileAccess.effectiveUid(), uid(path));
    }

    @Test
    void shouldCreateSharedRingWithItsGroupAndMode0660BeforeLinkingIt() throws IOException
    {
        final int group = sharingGroup();
        RingFile.create(path, RingConfig.spsc(4096), group).close();

        assertEquals(0660, mode(path));
        assertEquals(group, gid(path));
        assertEquals(List.of(), temporaryFiles(), "nothing left under a temporary name");
    }

    @Test
    void shouldRefuseRingThisUserMadeWorldReadableAndWritable() throws IOException
    {
        createRingWithMode(0666);
        final byte[] before = Files.readAllBytes(path);

        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> RingFile.open(path));

        assertEquals(path, ex.path());
        assertEquals("refusing " + path + ": other users have access to it (owner=" + ownerName(path) + "(" +
            FileAccess.effectiveUid() + ") group=" + groupName(path) + "(" + gid(path) + ") mode=0666); expected: owned by uid " +
            FileAccess.effectiveUid() + ", mode 0600 or stricter (group=NAME in the URI shares it with a group)", ex.getMessage());
        assertThrows(InsecureFileException.class, () -> RingFile.openOrCreate(path, RingConfig.spsc(4096), TIMEOUT_MS,
            TimeUnit.MILLISECONDS));
        assertThrows(InsecureFileException.class, () -> RingFile.open(path, RingKind.SPSC, sharingGroup()),
            "a group does not let other users in");
        assertThrows(InsecureFileException.class, () -> Transports.subscriber("shm:" + path));
        assertThrows(InsecureFileException.class, () -> Transports.publisher("shm:" + path));
        assertArrayEquals(before, Files.readAllBytes(path), "nothing was written to the refused file");
        assertEquals(0666, mode(path), "the refused file is left as it was");
    }

    @Test
    void shouldRefuseRingOwnedByAnotherUserEvenToRoot() throws IOException
    {
        final String reason = FileAccess.effectiveUid() == 0 ? null : "needs root to give a file to another user (uid " +
            FileAccess.effectiveUid() + ")";
        if (reason != null)
        {
            System.out.println("SKIPPED shouldRefuseRingOwnedByAnotherUserEvenToRoot: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        RingFile.create(path, RingConfig.spsc(4096)).close();
        Files.setAttribute(path, "unix:uid", OtherUser.ID);

        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> RingFile.open(path));

        assertTrue(ex.getMessage().startsWith("refusing " + path + ": it belongs to another user (owner=" + OtherUser.NAME +
            "(" + OtherUser.ID + ")") && ex.getMessage().contains("mode=0600); expected: owned by uid 0,"), ex.getMessage());
        assertThrows(InsecureFileException.class, () -> Transports.publisher("shm:" + path));
        assertThrows(InsecureFileException.class, () -> Transports.subscriber("shm:" + path + "?group=" + OtherUser.ID),
            "a group grants nothing to a file that is not that group's");
    }

    @Test
    void shouldRefuseGroupAccessUnlessTheRingIsSharedWithThatGroup() throws IOException
    {
        createRingWithMode(0640);

        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> RingFile.open(path, RingKind.SPSC));
        assertTrue(ex.getMessage().contains("its group has access to it, which the URI does not grant") &&
            ex.getMessage().contains("mode=0640"), ex.getMessage());
        assertThrows(InsecureFileException.class, () -> Transports.subscriber("shm:" + path));

        try (RingFile shared = RingFile.open(path, RingKind.SPSC, gid(path)))
        {
            assertEquals(4096, shared.capacity());
        }
        try (io.shmring.core.Subscriber subscriber = Transports.subscriber("shm:" + path + "?group=" + gid(path)))
        {
            assertEquals(0, subscriber.poll((t, b, o, l) -> { }, 1));
        }
    }

    @Test
    void shouldRefuseSymbolicLinkAtTheRingPathEvenToThisUsersRing() throws IOException
    {
        RingFile.create(path, RingConfig.spsc(4096)).close();
        Files.createSymbolicLink(link, path);

        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> RingFile.open(link));

        assertTrue(ex.getMessage().startsWith("refusing " + link + ": it is a symbolic link"), ex.getMessage());
        assertThrows(InsecureFileException.class, () -> RingFile.openOrCreate(link, RingConfig.spsc(4096), TIMEOUT_MS,
            TimeUnit.MILLISECONDS));
        assertThrows(InsecureFileException.class, () -> Transports.publisher("shm:" + link));
        assertTrue(Files.isSymbolicLink(link), "the link is left in place");
    }

    @Test
    void shouldRefuseToCreateOrOpenRingInDirectoryOtherUsersMayWriteWithoutStickyBit() throws IOException
    {
        final Path directory = Files.createTempDirectory("shmring-access");
        try
        {
            final Path ring = directory.resolve("ring");
            RingFile.create(ring, RingConfig.spsc(4096)).close();
            Files.setAttribute(directory, "unix:mode", 0777);

            final InsecureFileException open = assertThrows(InsecureFileException.class, () -> RingFile.open(ring));
            assertTrue(open.getMessage().contains("is writable by other users and not sticky"), open.getMessage());
            assertEquals(directory, open.path());
            Files.delete(ring);
            final InsecureFileException create = assertThrows(InsecureFileException.class,
                () -> RingFile.create(ring, RingConfig.spsc(4096)));
            assertTrue(create.getMessage().contains("is writable by other users and not sticky"), create.getMessage());
            assertThrows(InsecureFileException.class, () -> Transports.subscriber("shm:" + ring));
            try (Stream<Path> left = Files.list(directory))
            {
                assertEquals(List.of(), left.toList(), "nothing was created");
            }
        }
        finally
        {
            Files.setAttribute(directory, "unix:mode", 0700);
            try (Stream<Path> left = Files.list(directory))
            {
                for (final Path file : left.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    @Test
    void shouldInspectRingWhateverItsModeButAttachNoEndToIt() throws IOException
    {
        createRingWithMode(0666);
        final byte[] before = Files.readAllBytes(path);

        try (RingFile inspected = RingFile.openReadOnly(path))
        {
            assertEquals(RingKind.SPSC, inspected.kind());
            assertEquals(4096, inspected.capacity());
            assertFalse(inspected.consumerStatus().isHeld());
            final IllegalStateException consumer = assertThrows(IllegalStateException.class, () -> new SpscConsumer(inspected));
            assertTrue(consumer.getMessage().contains("opened read-only"), consumer.getMessage());
            assertThrows(IllegalStateException.class, () -> new SpscProducer(inspected));
        }
        assertArrayEquals(before, Files.readAllBytes(path), "inspecting wrote nothing");
    }

    @Test
    void shouldAttachNoEndToInspectedMpscRing() throws IOException
    {
        RingFile.create(path, RingConfig.mpsc(4096)).close();
        final byte[] before = Files.readAllBytes(path);

        try (RingFile inspected = RingFile.openReadOnly(path))
        {
            assertThrows(IllegalStateException.class, () -> new MpscConsumer(inspected));
            assertThrows(IllegalStateException.class, () -> new MpscProducer(inspected));
        }
        assertArrayEquals(before, Files.readAllBytes(path), "inspecting wrote nothing");
    }

    /**
     * This user's SPSC ring at {@link #path}, then given {@code mode} (as its owner may).
     */
    private void createRingWithMode(final int mode) throws IOException
    {
        RingFile.create(path, RingConfig.spsc(4096)).close();
        Files.setAttribute(path, "unix:mode", mode);
    }

    private List<Path> temporaryFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(path.getParent()))
        {
            return files.filter((file) -> file.getFileName().toString().startsWith("." + path.getFileName() + ".")).toList();
        }
    }

    /**
     * @return a group this process may give its files: any other than its own for root, else its primary group.
     */
    private static int sharingGroup() throws IOException
    {
        if (FileAccess.effectiveUid() == 0)
        {
            return OtherUser.ID; // nogroup: shows the file was given the group, not just left with root's
        }
        final Path probe = Files.createTempFile("shmring-group", ".probe");
        try
        {
            return gid(probe);
        }
        finally
        {
            Files.delete(probe);
        }
    }

    private static int mode(final Path file) throws IOException
    {
        return (Integer)Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static long uid(final Path file) throws IOException
    {
        return (Integer)Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) & 0xFFFF_FFFFL;
    }

    private static int gid(final Path file) throws IOException
    {
        return (Integer)Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static String ownerName(final Path file) throws IOException
    {
        return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
    }

    private static String groupName(final Path file) throws IOException
    {
        return Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .group().getName();
    }
}
