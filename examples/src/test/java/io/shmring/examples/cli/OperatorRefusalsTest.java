package io.shmring.examples.cli;

import io.shmring.core.FileAccess;
import io.shmring.core.test.OtherUser;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code list} and {@code clean} cannot do is said, never skipped: a file that may be a ring but cannot be read,
 * a corrupt ring, and a ring {@code clean} may not delete ({@code --dry-run} included).
 */
class OperatorRefusalsTest
{
    /** Only a hang takes this long (child JVM start on a loaded machine included). */
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(60);

    private Path directory;

    @BeforeEach
    void makeDirectory() throws IOException
    {
        directory = Cli.shmDirectory("cli-refusals");
        Files.setAttribute(directory, "unix:mode", 0755);
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        Cli.deleteTree(directory);
    }

    /**
     * Another user (through {@code runuser}) lists and cleans a directory holding a ring it may read and one it may not:
     * the readable one is shown, the other named on stderr, exit 1. A short unreadable file cannot be a ring and is
     * ignored.
     */
    @Test
    void shouldNameARingItCannotReadAndExit1() throws Exception
    {
        final Path readable = directory.resolve("readable");
        final Path unreadable = directory.resolve("unreadable");
        RingFile.create(readable, RingConfig.spsc(4096)).close();
        RingFile.create(unreadable, RingConfig.spsc(4096)).close(); // mode 0600, root's
        Files.setAttribute(readable, "unix:mode", 0644);
        final Path small = Files.writeString(directory.resolve("small-secret"), "not a ring");
        Files.setAttribute(small, "unix:mode", 0600);
        try (OtherUser other = OtherUser.prepareOrSkip("shouldNameARingItCannotReadAndExit1"))
        {
            final Run list = run(other, "list", directory.toString());
            assertEquals(1, list.exitCode(), list::toString);
            assertTrue(list.out().contains(readable + " "), list::toString);
            final String row = List.of(list.out().split("\\R")).stream().filter(l -> l.startsWith(unreadable + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + unreadable + ":\n" + list));
            assertTrue(row.contains(" ? ") && row.contains("UNREADABLE: cannot map file: path=" + unreadable), list::toString);
            assertEquals(1, list.errLines().size(), list::toString);
            assertTrue(list.errLines().get(0).startsWith("shmring list: cannot map file: path=" + unreadable), list::toString);
            assertFalse(list.err().contains("small-secret"), "shorter than any ring:\n" + list);

            final Run clean = run(other, "clean", "--dry-run", directory.toString());
            assertEquals(1, clean.exitCode(), clean::toString);
            assertTrue(clean.err().contains("shmring clean: " + unreadable + ": cannot map file: path=" + unreadable), clean::toString);
        }
        assertTrue(Files.exists(readable) && Files.exists(unreadable));
    }

    @Test
    void shouldShowCorruptionInTheListLine() throws IOException
    {
        final Path corrupt = directory.resolve("corrupt");
        try (RingFile ring = RingFile.create(corrupt, RingConfig.spsc(4096));
             SpscProducer producer = new SpscProducer(ring))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(producer.offer(7, payload, 0, 8));
            }
            ring.data().putInt(16 + 4, -1); // the second frame "padding" in the middle of the ring
        }
        RingFile.create(directory.resolve("healthy"), RingConfig.spsc(4096)).close();

        final Cli.Result list = Cli.run("list", directory.toString());

        assertEquals(1, list.exitCode(), list::toString);
        assertEquals(3, list.outLines().size(), "a heading and both rings:\n" + list);
        final String line = list.outLines().stream().filter(l -> l.startsWith(corrupt + " ")).findFirst().orElseThrow();
        assertTrue(line.endsWith(", CORRUPT: frame length=16 at position 16 (see stat)"), list::toString);
        assertEquals(1, list.errLines().size(), list::toString);
        assertTrue(list.errLines().get(0).startsWith("shmring list: corrupt ring: frame length=16 at position=16"), list::toString);
    }

    /**
     * A ring file of a layout version this build does not read (a newer peer's): {@code list} gives it a row (and a JSON
     * object) saying why, names it on stderr and exits 1, so a monitor reading the list still sees the ring.
     */
    @Test
    void shouldListARingOfAnUnsupportedLayoutVersionAsUnreadable() throws IOException
    {
        final Path future = directory.resolve("future");
        try (RingFile ring = RingFile.create(future, RingConfig.spsc(4096)))
        {
            ring.buffer().putInt(8, 4); // layout version (LAYOUT 2.1, offset 8): 4, which this build does not know
        }
        RingFile.create(directory.resolve("healthy"), RingConfig.spsc(4096)).close();

        final Cli.Result list = Cli.run("list", directory.toString());
        assertEquals(1, list.exitCode(), list::toString);
        final String row = list.outLines().stream().filter(l -> l.startsWith(future + " ")).findFirst().orElseThrow();
        assertTrue(row.contains(" ? ") && row.contains("UNREADABLE: ") && row.contains("version=4"), list::toString);
        assertTrue(list.outLines().stream().anyMatch(l -> l.startsWith(directory.resolve("healthy") + " ")), list::toString);
        assertEquals(1, list.errLines().size(), list::toString);
        assertTrue(list.errLines().get(0).contains("version=4"), list::toString);

        final Cli.Result json = Cli.run("list", "--json", directory.toString());
        assertEquals(1, json.exitCode(), json::toString);
        final String object = json.outLines().stream().filter(l -> l.contains("\"path\":\"" + future + "\"")).findFirst()
            .orElseThrow(() -> new AssertionError("no JSON object for " + future + ":\n" + json));
        assertTrue(object.contains("\"unreadable\":{\"type\":") && object.contains("version=4"), object);
    }

    /**
     * A stale, idle ring that {@code RingFile.open} refuses (others may read it; or, as root, another user's): the real
     * run refuses to delete it, and the dry run says the same instead of promising the deletion.
     */
    @Test
    void shouldRefuseInTheDryRunWhatTheRealRunRefuses() throws IOException
    {
        final Path shared = directory.resolve("shared");
        RingFile.create(shared, RingConfig.spsc(4096)).close();
        Files.setAttribute(shared, "unix:mode", 0644);
        final Path others = directory.resolve("others");
        final boolean root = FileAccess.effectiveUid() == 0;
        if (root)
        {
            RingFile.create(others, RingConfig.spsc(4096)).close();
            Files.setAttribute(others, "unix:uid", OtherUser.ID);
        }
        else
        {
            System.out.println("SKIPPED another user's ring in shouldRefuseInTheDryRunWhatTheRealRunRefuses: needs root to chown");
        }
        final byte[] before = Files.readAllBytes(shared);

        final Cli.Result dryRun = Cli.run("clean", "--dry-run", directory.toString());
        final Cli.Result real = Cli.run("clean", directory.toString());

        for (final Cli.Result result : List.of(dryRun, real))
        {
            assertEquals(1, result.exitCode(), result::toString);
            assertFalse(result.out().contains("delete"), "nothing deleted or promised:\n" + result);
            assertTrue(result.err().contains("shmring clean: " + shared + ": "), result::toString);
            assertTrue(result.err().contains("other users have access to it"), result::toString);
            if (root)
            {
                assertTrue(result.err().contains("shmring clean: " + others + ": "), result::toString);
                assertTrue(result.err().contains("it belongs to another user"), result::toString);
            }
        }
        assertEquals(dryRun.err(), real.err(), "the dry run refuses exactly what the real run refuses");
        assertArrayEquals(before, Files.readAllBytes(shared));
        assertTrue(Files.exists(others) == root);
    }

    private record Run(int exitCode, String out, String err)
    {
        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }

        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run run(final OtherUser other, final String... args) throws Exception
    {
        final Process process = other.builder(ShmringCommand.class, args).redirectError(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        final StringBuilder err = new StringBuilder();
        final Thread reader = new Thread(() ->
        {
            try
            {
                err.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                err.append("(stderr unreadable: ").append(ex).append(')');
            }
        });
        reader.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "shmring " + String.join(" ", args) + " hung");
        reader.join(WAIT_MS);
        return new Run(process.exitValue(), out, err.toString());
    }
}
