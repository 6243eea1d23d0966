package io.shmring.core;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Who may use a file shmring shares between processes (ring file, FIFO, Unix socket file), checked
 * before an existing one is used, in the spirit of OpenSSH's {@code StrictModes}.
 * <p>
 * <b>Owner only (the default).</b> The file must be owned by this process's effective uid (or a uid
 * the caller trusts, such as a socket publisher's {@code allowUid}) and give nothing to its group or
 * to other users: mode 0600 or stricter. Files shmring makes get exactly 0600.
 * <p>
 * <b>Shared with a group</b> ({@code group=NAME} or {@code group=GID} in the URI, read by
 * {@link #group(TransportUri)}). Files shmring makes get that owning group and mode 0660. An existing
 * file may then also give its group access, and may belong to another user, provided its owning group
 * is that group: only a member of the group (or root) can give a file that group, so two service
 * accounts in one group can share a ring, FIFO or socket that neither can be tricked into sharing with
 * anyone else. Other users never get access.
 * <p>
 * <b>Always.</b> The file must not be a symbolic link, and no directory above it may let anyone but this
 * user, root, the file's accepted owner (or, with a group, that group's members) replace it: each must
 * be owned by one of those, and writable by its group (outside the shared group) or by other users only
 * when sticky (as {@code /tmp} and {@code /dev/shm} are). A symbolic link on the way must be owned by
 * root or an accepted owner; the directories it leads to are checked too.
 * <p>
 * A refusal is an {@link InsecureFileException} naming the path, its owner, group and mode, and what
 * was expected. Thread-safe.
 */
public final class FileAccess
{
    /** URI parameter: share the file with this group (name or number): mode 0660 and that owning group. */
    public static final String GROUP = "group";

    /** Mode of a file made for its owner only. */
    public static final int OWNER_ONLY_MODE = 0600;

    /** Mode of a file made to be shared with a group. */
    public static final int GROUP_SHARED_MODE = 0660;

    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;
    private static final int PERMISSION_BITS = 0777;
    private static final int GROUP_BITS = 0070;
    private static final int OTHER_BITS = 0007;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final long ROOT_UID = 0;
    private static final long MAX_ID = 0xFFFF_FFFEL;
    /** Offset of {@code gr_gid} in glibc's {@code struct group} on 64-bit Linux: after two pointers. */
    private static final long GR_GID_OFFSET = 16;
    private static final String ATTRIBUTES = "unix:mode,uid,gid,owner,group";

    private FileAccess()
    {
    }

    /**
     * @return this process's effective uid.
     */
    public static long effectiveUid()
    {
        return Libc.geteuid() & 0xFFFF_FFFFL;
    }

    /**
     * @param uri a URI that may carry {@link #GROUP}.
     * @return the gid it names, or null if it has none (owner only).
     * @throws IllegalArgumentException if it names no group.
     */
    public static Integer group(final TransportUri uri)
    {
        final String value = uri.get(GROUP);
        if (value == null)
        {
            return null;
        }
        try
        {
            return lookupGroup(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw uri.badParameter(GROUP, value, "the name or number of a group (" + ex.getMessage() + ")");
        }
    }

    /**
     * @param nameOrGid a group name, or a gid in decimal.
     * @return the gid.
     * @throws IllegalArgumentException if the name is unknown or the number out of range.
     */
    public static int lookupGroup(final String nameOrGid)
    {
        if (nameOrGid == null || nameOrGid.isEmpty())
        {
            throw new IllegalArgumentException("group must not be empty");
        }
        if (nameOrGid.chars().allMatch(Character::isDigit))
        {
            if (nameOrGid.length() > 10 || Long.parseLong(nameOrGid) > MAX_ID)
            {
                throw new IllegalArgumentException("gid out of range 0.." + MAX_ID + ": group=" + nameOrGid);
            }
            return (int)Long.parseLong(nameOrGid);
        }
        synchronized (FileAccess.class) // getgrnam returns a static buffer
        {
            final Pointer entry = Libc.getgrnam(nameOrGid);
            if (entry == null)
            {
                throw new IllegalArgumentException("no such group: group=" + nameOrGid);
            }
            return entry.getInt(GR_GID_OFFSET);
        }
    }

    /**
     * Refuse an existing file that anyone the URI does not trust could read, write or replace; owner
     * only unless {@code allowedGid} is given.
     *
     * @param path       the file (not followed if it is a symbolic link: a link is refused).
     * @param allowedGid the group the URI shares the file with, or null for owner only.
     * @return the file's owner uid.
     * @throws InsecureFileException if the file or a directory above it is refused.
     * @throws UncheckedIOException  if the file or a directory cannot be examined (e.g. it does not exist).
     */
    public static long checkOwnerAndMode(final Path path, final Integer allowedGid)
    {
        return checkOwnerAndMode(path, allowedGid, List.of());
    }

    /**
     * As {@link #checkOwnerAndMode(Path, Integer)}, also accepting files owned by the given uids (for
     * example a root publisher told to trust a service account's socket).
     *
     * @param path          the file.
     * @param allowedGid    the group the URI shares the file with, or null for owner only.
     * @param trustedOwners uids besides this process's effective uid whose files are accepted.
     * @return the file's owner uid.
     * @throws InsecureFileException if the file or a directory above it is refused.
     * @throws UncheckedIOException  if the file or a directory cannot be examined (e.g. it does not exist).
     */
    public static long checkOwnerAndMode(final Path path, final Integer allowedGid, final Collection<Long> trustedOwners)
    {
        final long self = effectiveUid();
        final Attributes file = Attributes.read(path);
        final String expected = expectation(self, allowedGid, trustedOwners);
        if (file.isSymbolicLink())
        {
            throw refuse(path, file, "it is a symbolic link (whoever can replace it chooses its target)", expected);
        }
        if ((file.mode & OTHER_BITS) != 0)
        {
            throw refuse(path, file, "other users have access to it", expected);
        }
        final boolean trustedOwner = file.uid == self || trustedOwners.contains(file.uid);
        final boolean groupGranted = allowedGid != null && file.gid == (allowedGid & 0xFFFF_FFFFL);
        if (!trustedOwner && !groupGranted)
        {
            throw refuse(path, file, "it belongs to another user", expected);
        }
        if ((file.mode & GROUP_BITS) != 0 && !groupGranted)
        {
            throw refuse(path, file, "its group has access to it, which the URI does not grant", expected);
        }
        checkDirectories(path, self, file.uid, allowedGid, trustedOwners);
        return file.uid;
    }

    /**
     * Refuse to make a file in a directory where anyone the URI does not trust could replace it: the
     * directory checks of {@link #checkOwnerAndMode(Path, Integer)}, for a file about to be created.
     *
     * @param path       the file to be made.
     * @param allowedGid the group the URI shares the file with, or null for owner only.
     * @throws InsecureFileException if a directory above the path is refused.
     * @throws UncheckedIOException  if a directory cannot be examined (e.g. it does not exist).
     */
    public static void checkDirectories(final Path path, final Integer allowedGid)
    {
        final long self = effectiveUid();
        checkDirectories(path, self, self, allowedGid, List.of());
    }

    /**
     * Give a file this process just made its final owning group and mode: with a group, that group
     * first and then mode 0660; without, mode 0600. The file must have been made with no more than 0600,
     * in a directory that passed {@link #checkDirectories(Path, Integer)} (nobody else can replace it).
     *
     * @param path       the file.
     * @param allowedGid the group to share it with, or null for owner only.
     * @throws UncheckedIOException if the group or mode cannot be set (e.g. not a member of the group).
     */
    public static void restrict(final Path path, final Integer allowedGid)
    {
        try
        {
            if (Files.isSymbolicLink(path))
            {
                throw new IOException("a symbolic link replaced the file just made");
            }
            if (allowedGid != null)
            {
                Files.setAttribute(path, "unix:gid", allowedGid, LinkOption.NOFOLLOW_LINKS); // lchown
            }
            // chmod by path: opening a FIFO or socket to fchmod it would block or fail
            Files.setAttribute(path, "unix:mode", allowedGid == null ? OWNER_ONLY_MODE : GROUP_SHARED_MODE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot give " + path + (allowedGid == null ? " mode 0600" :
                " group gid=" + (allowedGid & 0xFFFF_FFFFL) + " and mode 0660 (is this user a member of the group?)"), ex);
        }
    }

    private static void checkDirectories(
        final Path path, final long self, final long fileOwner, final Integer allowedGid, final Collection<Long> trustedOwners)
    {
        final Path absolute = path.toAbsolutePath().normalize();
        final String expected = "expected: each directory above it owned by root, uid " + self +
            (fileOwner != self ? " or the file's owner uid " + fileOwner : "") +
            ", and writable by other users or its group only if sticky" +
            (allowedGid == null ? "" : " or its group is gid " + (allowedGid & 0xFFFF_FFFFL));
        for (Path step = absolute.getParent(); step != null; step = step.getParent())
        {
            final Attributes link = Attributes.read(step);
            if (link.isSymbolicLink() && !isTrustedDirectoryOwner(link.uid, self, fileOwner, trustedOwners))
            {
                throw refuse(step, link, "this symbolic link above " + path + " belongs to another user, who can re-point it",
                    expected);
            }
        }
        final Path real;
        try
        {
            real = absolute.getParent().toRealPath();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot resolve the directory of " + path, ex);
        }
        for (Path directory = real; directory != null; directory = directory.getParent())
        {
            final Attributes attributes = Attributes.read(directory);
            if (!isTrustedDirectoryOwner(attributes.uid, self, fileOwner, trustedOwners))
            {
                throw refuse(directory, attributes, "this directory above " + path +
                    " belongs to another user, who could replace the file", expected);
            }
            final boolean sticky = (attributes.mode & S_ISVTX) != 0;
            if ((attributes.mode & OTHER_WRITE) != 0 && !sticky)
            {
                throw refuse(directory, attributes, "this directory above " + path +
                    " is writable by other users and not sticky: they could replace the file", expected);
            }
            final boolean sharedGroup = allowedGid != null && attributes.gid == (allowedGid & 0xFFFF_FFFFL);
            if ((attributes.mode & GROUP_WRITE) != 0 && !sticky && !sharedGroup)
            {
                throw refuse(directory, attributes, "this directory above " + path +
                    " is writable by its group and not sticky: its members could replace the file", expected);
            }
        }
    }

    private static boolean isTrustedDirectoryOwner(
        final long uid, final long self, final long fileOwner, final Collection<Long> trustedOwners)
    {
        return uid == ROOT_UID || uid == self || uid == fileOwner || trustedOwners.contains(uid);
    }

    private static String expectation(final long self, final Integer allowedGid, final Collection<Long> trustedOwners)
    {
        final String owners = trustedOwners.isEmpty() ? "uid " + self : "uid " + self + " or one of " + trustedOwners;
        return allowedGid == null ?
            "expected: owned by " + owners + ", mode 0600 or stricter (group=NAME in the URI shares it with a group)" :
            "expected: owned by " + owners + " or by group gid " + (allowedGid & 0xFFFF_FFFFL) +
                ", no access for other users, group access only for that group";
    }

    private static InsecureFileException refuse(
        final Path path, final Attributes attributes, final String reason, final String expected)
    {
        return new InsecureFileException(path, "refusing " + path + ": " + reason + " (owner=" + attributes.ownerName +
            "(" + attributes.uid + ") group=" + attributes.groupName + "(" + attributes.gid + ") mode=0" +
            Integer.toOctalString(attributes.mode & (S_ISVTX | PERMISSION_BITS)) + "); " + expected);
    }

    /**
     * What {@code lstat} says about a path.
     */
    private static final class Attributes
    {
        private final int mode;
        private final long uid;
        private final long gid;
        private final String ownerName;
        private final String groupName;

        private Attributes(final int mode, final long uid, final long gid, final String ownerName, final String groupName)
        {
            this.mode = mode;
            this.uid = uid;
            this.gid = gid;
            this.ownerName = ownerName;
            this.groupName = groupName;
        }

        static Attributes read(final Path path)
        {
            final Map<String, Object> values;
            try
            {
                values = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot examine " + path, ex);
            }
            return new Attributes((Integer)values.get("mode"), (Integer)values.get("uid") & 0xFFFF_FFFFL,
                (Integer)values.get("gid") & 0xFFFF_FFFFL, ((UserPrincipal)values.get("owner")).getName(),
                ((GroupPrincipal)values.get("group")).getName());
        }

        boolean isSymbolicLink()
        {
            return (mode & S_IFMT) == S_IFLNK;
        }
    }

    /**
     * The libc calls this class needs, bound with JNA direct mapping.
     */
    private static final class Libc
    {
        static
        {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        private Libc()
        {
        }

        static native int geteuid();

        static native Pointer getgrnam(String name);
    }
}
