package io.shmring.core.internal.stream;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.shmring.core.FileAccess;

import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How messages name a user: {@code name(uid)}, as {@link FileAccess} names a file's owner ({@code root(0)}), whatever
 * the JDK's principal holds. The JDK names a peer from {@code SO_PEERCRED} by its uid's name when it can look the name
 * up, and by the bare number when it cannot (a peer with no entry in the user database, or a lookup made while every
 * descriptor is taken, as under a flood of connections: "(user 0)"). So the uid and the name are looked up here
 * ({@code getpwnam_r}, {@code getpwuid_r}), and each answer found is kept: a later lookup may fail for want of a
 * descriptor. Thread-safe; a lookup reads the user database, not for hot paths.
 */
final class UserNames
{
    /** {@code struct passwd} on LP64 Linux: {@code pw_name} at 0, {@code pw_uid} at 16 (after two pointers). */
    private static final int PASSWD_LENGTH = 48;
    private static final int PW_UID_OFFSET = 16;
    private static final int ERANGE = 34;
    private static final int MAX_BUFFER = 1 << 20;

    /** "name(uid)" by uid, for every uid whose name was found. */
    private static final ConcurrentHashMap<Long, String> BY_UID = new ConcurrentHashMap<>();
    /** uid by name, for every name whose uid was found. */
    private static final ConcurrentHashMap<String, Long> UIDS = new ConcurrentHashMap<>();

    private UserNames()
    {
    }

    /**
     * @param user a user as the JDK reports it (by name, or by the bare number of its uid).
     * @return {@code name(uid)}; the number stands for the name if none is found, and the principal's name alone is
     *         returned if its uid cannot be found.
     */
    static String describe(final UserPrincipal user)
    {
        final String name = user.getName();
        final Long uid = isNumber(name) ? Long.valueOf(name) : uidOf(name);
        return uid == null ? name : describe(uid);
    }

    /**
     * @param uid a user id.
     * @return {@code name(uid)}, or {@code uid(uid)} if no name is found.
     */
    static String describe(final long uid)
    {
        final String known = BY_UID.get(uid);
        if (known != null)
        {
            return known;
        }
        final String name = nameOf(uid);
        if (name == null)
        {
            return uid + "(" + uid + ")";
        }
        final String description = name + "(" + uid + ")";
        BY_UID.put(uid, description);
        return description;
    }

    /**
     * @return this process's effective user, {@code name(uid)}, looked up now and kept.
     */
    static String describeCurrentUser()
    {
        return describe(FileAccess.effectiveUid());
    }

    private static boolean isNumber(final String name)
    {
        if (name.isEmpty() || name.length() > 10)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (name.charAt(i) < '0' || name.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static Long uidOf(final String name)
    {
        final Long known = UIDS.get(name);
        if (known != null)
        {
            return known;
        }
        final Entry entry = lookUp(name, 0);
        if (entry == null)
        {
            return null;
        }
        UIDS.put(name, entry.uid());
        return entry.uid();
    }

    private static String nameOf(final long uid)
    {
        final Entry entry = lookUp(null, uid);
        return entry == null ? null : entry.name();
    }

    /**
     * A user database entry's name and uid.
     */
    private record Entry(String name, long uid)
    {
    }

    /**
     * @return the user database entry of {@code name} (or, if null, of {@code uid}), or null if there is none or it
     *         cannot be read now.
     */
    private static Entry lookUp(final String name, final long uid)
    {
        if (Native.POINTER_SIZE != Long.BYTES)
        {
            return null;
        }
        try
        {
            final Memory entry = new Memory(PASSWD_LENGTH);
            final Memory result = new Memory(Native.POINTER_SIZE);
            for (int size = 1024; size <= MAX_BUFFER; size *= 4) // bounded: a user database entry is small
            {
                final Memory buffer = new Memory(size);
                result.setPointer(0, null);
                final int error = name != null ? Libc.getpwnam_r(name, entry, buffer, size, result) :
                    Libc.getpwuid_r((int)uid, entry, buffer, size, result);
                if (error != ERANGE)
                {
                    // the name lives in buffer: read it while buffer is reachable
                    return error == 0 && result.getPointer(0) != null ?
                        new Entry(entry.getPointer(0).getString(0), entry.getInt(PW_UID_OFFSET) & 0xFFFF_FFFFL) : null;
                }
            }
            return null;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null; // no libc binding here (or no memory for one): the caller names the user without it
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

        static native int getpwuid_r(int uid, Pointer entry, Pointer buffer, long size, Pointer result);

        static native int getpwnam_r(String name, Pointer entry, Pointer buffer, long size, Pointer result);
    }
}
