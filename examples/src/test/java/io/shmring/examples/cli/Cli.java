package io.shmring.examples.cli;

import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.liveness.PartyStatus;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs the {@code shmring} command line in this JVM with stdout and stderr captured.
 */
final class Cli
{
    private Cli()
    {
    }

    /**
     * What one run printed and returned.
     *
     * @param exitCode the command's exit code.
     * @param out      captured stdout.
     * @param err      captured stderr.
     */
    record Result(int exitCode, String out, String err)
    {
        List<String> outLines()
        {
            return lines(out);
        }

        List<String> errLines()
        {
            return lines(err);
        }

        private static List<String> lines(final String text)
        {
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
        }

        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = ShmringCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * @param prefix what the file is for.
     * @return a name no other test run uses.
     */
    static String uniqueName(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /**
     * @param ring a ring file's path; the file may not be there yet.
     * @param role the role of it to judge, e.g. {@code RingFile::consumerStatus}.
     * @return true if the ring is there and a live (or attaching) process holds the role; false while the file is
     *         missing or still being created.
     */
    static boolean isHeld(final Path ring, final Function<RingFile, PartyStatus> role)
    {
        if (!Files.exists(ring))
        {
            return false;
        }
        try (RingFile file = RingFile.openReadOnly(ring))
        {
            return role.apply(file).isHeld();
        }
        catch (final RuntimeException notYet)
        {
            return false; // still being created: the caller looks again
        }
    }

    static Path shmPath(final String prefix)
    {
        return Path.of("/dev/shm", uniqueName(prefix));
    }

    static Path tmpPath(final String prefix)
    {
        return Path.of(System.getProperty("java.io.tmpdir"), uniqueName(prefix));
    }

    /**
     * @param prefix what the directory is for.
     * @return a new directory in /dev/shm of a name no other test run uses; delete it with {@link #deleteTree}.
     * @throws IOException if it cannot be made.
     */
    static Path shmDirectory(final String prefix) throws IOException
    {
        return Files.createDirectory(shmPath(prefix));
    }

    /**
     * @param directory a directory a test made, and everything in it, to delete.
     * @throws IOException if something cannot be deleted.
     */
    static void deleteTree(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
