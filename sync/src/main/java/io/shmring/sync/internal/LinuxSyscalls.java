package io.shmring.sync.internal;

import java.util.Locale;

/**
 * The number of a Linux system call on the architectures shmring calls them on (x86_64 and aarch64 number them
 * differently), for {@code syscall(2)}.
 */
final class LinuxSyscalls
{
    private LinuxSyscalls()
    {
    }

    /**
     * @param x86_64  its number on x86_64.
     * @param aarch64 its number on aarch64.
     * @return the number on this machine, or -1 if this is not Linux on one of the two.
     */
    static long number(final long x86_64, final long aarch64)
    {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"))
        {
            return -1;
        }
        switch (System.getProperty("os.arch", ""))
        {
            case "amd64":
            case "x86_64":
                return x86_64;
            case "aarch64":
                return aarch64;
            default:
                return -1;
        }
    }
}
