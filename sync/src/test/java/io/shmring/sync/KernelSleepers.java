package io.shmring.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Waits, in a test, until a thread of this JVM is inside a futex call on a given word, as Linux reports it
 * in {@code /proc/self/task/TID/syscall} (the syscall number and its arguments). HotSpot names each native
 * thread after its Java thread (the first 15 characters), which is how the thread is found. A glibc
 * semaphore wait is a futex wait on the semaphore's first word (little-endian), so this serves both.
 */
final class KernelSleepers
{
    private static final Path TASKS = Paths.get("/proc/self/task");
    private static final int COMM_LENGTH = 15;

    private KernelSleepers()
    {
    }

    /**
     * @return true if this machine reports the system calls of this process's threads.
     */
    static boolean isSupported()
    {
        return futexSyscall() != null && Files.isReadable(TASKS.resolve(Long.toString(ProcessHandle.current().pid()))
            .resolve("syscall"));
    }

    /**
     * Return once the thread named {@code threadName} is in a futex call on {@code address}.
     *
     * @throws AssertionError if that does not happen within 60 s.
     */
    static void awaitInFutexCall(final String threadName, final long address) throws IOException, InterruptedException
    {
        final String comm = threadName.length() > COMM_LENGTH ? threadName.substring(0, COMM_LENGTH) : threadName;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!isInFutexCall(comm, address))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("thread " + threadName + " never entered a futex call on 0x" + Long.toHexString(address));
            }
            Thread.sleep(1);
        }
    }

    private static boolean isInFutexCall(final String comm, final long address) throws IOException
    {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS))
        {
            for (final Path task : tasks)
            {
                try
                {
                    if (comm.equals(Files.readString(task.resolve("comm")).trim()))
                    {
                        final String[] call = Files.readString(task.resolve("syscall")).trim().split(" ");
                        return call.length > 1 && call[0].equals(futexSyscall()) && Long.decode(call[1]) == address;
                    }
                }
                catch (final NoSuchFileException ex)
                {
                    // that thread ended meanwhile
                }
            }
        }
        return false;
    }

    private static String futexSyscall()
    {
        switch (System.getProperty("os.arch", ""))
        {
            case "amd64":
            case "x86_64":
                return "202";
            case "aarch64":
                return "98";
            default:
                return null;
        }
    }
}
