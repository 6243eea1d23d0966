package io.shmring.examples.cli;

import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the operator's commands make of odd arguments: glob characters in a real file name, a broken glob, a
 * {@code shm:} URI without a path, a directory that does not exist, and {@code --count} without {@code --watch}. Each is
 * one clear line on stderr and the documented exit code.
 */
class OperatorArgumentsTest
{
    private Path directory;

    @BeforeEach
    void makeDirectory() throws IOException
    {
        directory = Cli.shmDirectory("cli-arguments");
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        Cli.deleteTree(directory);
    }

    @Test
    void shouldTakeAnExistingFileByItsExactPathEvenIfItsNameLooksLikeAGlob()
    {
        final Path literal = directory.resolve("lit[1]");
        RingFile.create(literal, RingConfig.spsc(4096)).close();
        RingFile.create(directory.resolve("lit1"), RingConfig.spsc(4096)).close(); // what the glob lit[1] would match

        final Cli.Result result = Cli.run("stat", literal.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("ring               " + literal + "\n"), result::toString);
        assertEquals(1, count(result.out(), "\nkind "), "the one file named, not the glob's match:\n" + result);
    }

    @Test
    void shouldRefuseABrokenGlobWithOneLine()
    {
        final Cli.Result result = Cli.run("stat", directory.resolve("[").toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("shmring stat: not a valid glob, and no file has that name: " + directory.resolve("[") +
            " (Missing '], at index 0 of [)"), result.errLines(), result::toString);
    }

    @Test
    void shouldRefuseAShmUriWithoutAPath()
    {
        final Cli.Result result = Cli.run("stat", "shm:");

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("shmring stat: a shm: URI names a ring file by its path, as in shm:/dev/shm/name: uri=shm:"),
            result.errLines(), result::toString);
        assertEquals("", result.out(), result::toString);
    }

    @Test
    void shouldSayADirectoryToListOrCleanDoesNotExist()
    {
        final Path missing = directory.resolve("missing");
        for (final String command : List.of("list", "clean"))
        {
            final Cli.Result result = Cli.run(command, missing.toString());

            assertEquals(1, result.exitCode(), result::toString);
            assertEquals(List.of("shmring " + command + ": no such directory: " + missing), result.errLines(), result::toString);
        }
        final Path file = directory.resolve("a-file");
        RingFile.create(file, RingConfig.spsc(4096)).close();
        final Cli.Result notDirectory = Cli.run("list", file.toString());
        assertEquals(List.of("shmring list: not a directory: " + file), notDirectory.errLines(), notDirectory::toString);
    }

    @Test
    void shouldRefuseCountWithoutWatchAsAUsageError()
    {
        final Path ring = directory.resolve("ring");
        RingFile.create(ring, RingConfig.spsc(4096)).close();

        final Cli.Result result = Cli.run("stat", "--count", "3", ring.toString());

        assertEquals(2, result.exitCode(), result::toString);
        assertEquals("--count counts --watch refreshes: give --watch too (without it stat prints once)",
            result.errLines().get(0), result::toString);
        assertEquals("", result.out(), "nothing is shown:\n" + result);
        final Cli.Result zero = Cli.run("stat", "--watch", "0.01", "--count", "0", ring.toString());
        assertEquals(2, zero.exitCode(), zero::toString);
        assertEquals("--count needs at least 1 refresh: 0", zero.errLines().get(0), zero::toString);
    }

    @Test
    void shouldStopWatchingAfterCountRefreshes()
    {
        final Path ring = directory.resolve("ring");
        RingFile.create(ring, RingConfig.spsc(4096)).close();

        final Cli.Result result = Cli.run("stat", "--watch", "0.01", "--count", "2", ring.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(2, count(result.out(), "--- "), result::toString);
        assertEquals(1, count(result.out(), "\nrates "), "the second refresh has rates, the first none:\n" + result);
    }

    private static int count(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            count++;
        }
        return count;
    }
}
