package io.shmring.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileAccessTest
{
    /** nobody / nogroup on Debian-like systems; used only when the test runs as root. */
    private static final int OTHER_ID = 65534;

    @TempDir
    Path directory;

    @Test
    void shouldAcceptOwnFileWithMode0600() throws Exception
    {
        final Path file = file("own", 0600);
        assertEquals(FileAccess.effectiveUid(), FileAccess.checkOwnerAndMode(file, null));
    }

    @Test
    void shouldRefuseOwnFileOpenToOtherUsersNamingOwnerAndMode() throws Exception
    {
        for (final int mode : new int[] {0604, 0602, 0601, 0666})
        {
            final Path file = file("other" + Integer.toOctalString(mode), mode);
            final InsecureFileException ex = assertThrows(InsecureFileException.class,
                () -> FileAccess.checkOwnerAndMode(file, gidOf(file)));
            assertTrue(ex.getMessage().contains("other users have access"), ex.getMessage());
            assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("mode=0" + Integer.toOctalString(mode)), ex.getMessage());
            assertTrue(ex.getMessage().contains("owner=") && ex.getMessage().contains("(" + FileAccess.effectiveUid() + ")"),
                ex.getMessage());
            assertEquals(file, ex.path());
        }
    }

    @Test
    void shouldRefuseGroupAccessTheUriDoesNotGrant() throws Exception
    {
        final Path file = file("group", 0660);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null));
        assertTrue(ex.getMessage().contains("its group has access"), ex.getMessage());
        final int otherGid = gidOf(file) + 1;
        assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, otherGid), "another group");
    }

    @Test
    void shouldAcceptGroupAccessForTheSharedGroup() throws Exception
    {
        final Path file = file("shared", 0660);
        assertEquals(FileAccess.effectiveUid(), FileAccess.checkOwnerAndMode(file, gidOf(file)));
    }

    @Test
    void shouldRefuseFileOfAnotherUserUnlessItsGroupIsShared() throws Exception
    {
        assumeRoot("chown to another user");
        final Path file = file("foreign", 0600);
        Files.setAttribute(file, "unix:uid", OTHER_ID);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null));
        assertTrue(ex.getMessage().contains("belongs to another user"), ex.getMessage());
        assertTrue(ex.getMessage().contains("(" + OTHER_ID + ")"), ex.getMessage());

        Files.setAttribute(file, "unix:gid", OTHER_ID);
        Files.setAttribute(file, "unix:mode", 0660);
        assertEquals(OTHER_ID, FileAccess.checkOwnerAndMode(file, OTHER_ID), "another member of the shared group made it");
        assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null, List.of((long)OTHER_ID)),
            "a trusted owner's file still may not give its group access the URI does not grant");
        Files.setAttribute(file, "unix:mode", 0600);
        assertEquals(OTHER_ID, FileAccess.checkOwnerAndMode(file, null, List.of((long)OTHER_ID)), "a trusted owner");
    }

    @Test
    void shouldRefuseSymbolicLinkEvenToAnAcceptableFile() throws Exception
    {
        final Path target = file("target", 0600);
        final Path link = Files.createSymbolicLink(directory.resolve("link"), target);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(link, null));
        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
    }

    @Test
    void shouldRefuseFileInDirectoryOthersCanWriteUnlessSticky() throws Exception
    {
        final Path open = Files.createDirectory(directory.resolve("open"));
        final Path file = Files.createFile(open.resolve("f"));
        Files.setAttribute(file, "unix:mode", 0600);
        Files.setAttribute(open, "unix:mode", 0777);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null));
        assertTrue(ex.getMessage().contains("writable by other users and not sticky"), ex.getMessage());
        assertEquals(open, ex.path());

        Files.setAttribute(open, "unix:mode", 01777);
        FileAccess.checkOwnerAndMode(file, null);
    }

    @Test
    void shouldRefuseToMakeAFileInADirectoryOthersCanWriteUnlessSticky() throws Exception
    {
        final Path open = Files.createDirectory(directory.resolve("make"));
        Files.setAttribute(open, "unix:mode", 0777);
        final InsecureFileException ex = assertThrows(InsecureFileException.class,
            () -> FileAccess.checkDirectories(open.resolve("new"), null));
        assertTrue(ex.getMessage().contains("not sticky"), ex.getMessage());
        Files.setAttribute(open, "unix:mode", 01777);
        FileAccess.checkDirectories(open.resolve("new"), null);
    }

    @Test
    void shouldRefuseFileInDirectoryItsGroupCanWriteUnlessThatGroupIsShared() throws Exception
    {
        final Path shared = Files.createDirectory(directory.resolve("shared"));
        final Path file = Files.createFile(shared.resolve("f"));
        Files.setAttribute(file, "unix:mode", 0600);
        Files.setAttribute(shared, "unix:mode", 0770);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null));
        assertTrue(ex.getMessage().contains("writable by its group"), ex.getMessage());
        FileAccess.checkOwnerAndMode(file, gidOf(shared));
    }

    @Test
    void shouldRefuseFileInDirectoryOfAnotherUser() throws Exception
    {
        assumeRoot("chown a directory to another user");
        final Path theirs = Files.createDirectory(directory.resolve("theirs"));
        final Path file = Files.createFile(theirs.resolve("f"));
        Files.setAttribute(file, "unix:mode", 0600);
        Files.setAttribute(theirs, "unix:uid", OTHER_ID);
        final InsecureFileException ex = assertThrows(InsecureFileException.class, () -> FileAccess.checkOwnerAndMode(file, null));
        assertTrue(ex.getMessage().contains("belongs to another user, who could replace the file"), ex.getMessage());
    }

    @Test
    void shouldRefuseSymbolicLinkedDirectoryOwnedByAnotherUser() throws Exception
    {
        assumeRoot("chown a symbolic link to another user");
        final Path real = Files.createDirectory(directory.resolve("real"));
        Files.setAttribute(Files.createFile(real.resolve("f")), "unix:mode", 0600);
        final Path link = Files.createSymbolicLink(directory.resolve("via"), real);
        FileAccess.checkOwnerAndMode(link.resolve("f"), null);
        Files.setAttribute(link, "unix:uid", OTHER_ID, LinkOption.NOFOLLOW_LINKS);
        final InsecureFileException ex = assertThrows(InsecureFileException.class,
            () -> FileAccess.checkOwnerAndMode(link.resolve("f"), null));
        assertTrue(ex.getMessage().contains("can re-point it"), ex.getMessage());
    }

    @Test
    void shouldGiveNewFileOwnerOnlyModeOrSharedGroupAndMode0660() throws Exception
    {
        final Path file = file("made", 0644);
        FileAccess.restrict(file, null);
        assertEquals(0600, mode(file));
        final int gid = gidOf(file);
        FileAccess.restrict(file, gid);
        assertEquals(0660, mode(file));
        assertEquals(gid, gidOf(file));
        FileAccess.checkOwnerAndMode(file, gid);
    }

    @Test
    void shouldLookUpGroupByNameOrNumberAndRefuseUnknownName() throws Exception
    {
        final Path file = file("lookup", 0600);
        final String groupName = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        assertEquals(gidOf(file), FileAccess.lookupGroup(groupName));
        assertEquals(12345, FileAccess.lookupGroup("12345"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> FileAccess.lookupGroup("no-such-group-shmring"));
        assertTrue(ex.getMessage().contains("group=no-such-group-shmring"), ex.getMessage());
        final IllegalArgumentException uri = assertThrows(IllegalArgumentException.class,
            () -> FileAccess.group(TransportUri.parse("fifo:/tmp/x?group=no-such-group-shmring")));
        assertTrue(uri.getMessage().contains("group=no-such-group-shmring"), uri.getMessage());
        assertEquals(null, FileAccess.group(TransportUri.parse("fifo:/tmp/x")));
    }

    private Path file(final String name, final int mode) throws Exception
    {
        final Path file = Files.createFile(directory.resolve(name));
        Files.setAttribute(file, "unix:mode", mode);
        return file;
    }

    private static int gidOf(final Path path) throws Exception
    {
        return (Integer)Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(final Path path) throws Exception
    {
        return (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777;
    }

    static void assumeRoot(final String why)
    {
        if (FileAccess.effectiveUid() != 0)
        {
            System.out.println("SKIPPED (" + why + "): needs root, running as uid " + FileAccess.effectiveUid());
        }
        Assumptions.assumeTrue(FileAccess.effectiveUid() == 0, "needs root to " + why);
    }
}
