package io.shmring.examples.cli;

import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator's scripts run into (issue 18 breaker): a creator's abandoned temporary, an unset directory
 * variable, {@code stat --watch RING} without seconds, a zero period, and the dry run's hint for a ring this user
 * could not delete even with --force.
 */
class OperatorEdgeCasesTest
{
    private Path directory;

    @BeforeEach
    void setUp() throws Exception
    {
        directory = Cli.shmDirectory("edge");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        Cli.deleteTree(directory);
    }

    @Test
    void shouldDeleteATemporaryItsDeadCreatorLeftAndNameItInTheDryRun() throws Exception
    {
        // the form a creator writes a ring under (docs/LAYOUT.md 2.1), by a pid that is not this process, unlocked
        final Path temporary = directory.resolve(".md.2147483.5eed.creating");
        Files.write(temporary, new byte[8192]);
        Files.setLastModifiedTime(temporary, FileTime.from(Instant.now().minusSeconds(60)));

        final Cli.Result dryRun = Cli.run("clean", "--dry-run", directory.toString());
        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertTrue(dryRun.out().contains("would delete " + temporary + " (its creator died"), dryRun::toString);
        assertTrue(Files.exists(temporary));

        final Cli.Result clean = Cli.run("clean", directory.toString());
        assertEquals(0, clean.exitCode(), clean::toString);
        assertTrue(clean.out().contains("deleted  " + temporary + " (its creator died"), clean::toString);
        assertFalse(Files.exists(temporary), clean::toString);
    }

    @Test
    void shouldNeitherNameNorDeleteATemporaryWhoseCreatorStillHoldsItsLock() throws Exception
    {
        // old enough to be judged, but its creation lock is held (here by this JVM: a creator still writing it)
        final Path temporary = directory.resolve(".md.2147484.5eed.creating");
        Files.write(temporary, new byte[8192]);
        Files.setLastModifiedTime(temporary, FileTime.from(Instant.now().minusSeconds(60)));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
             FileLock lock = channel.lock())
        {
            final Cli.Result dryRun = Cli.run("clean", "--dry-run", directory.toString());
            assertEquals(0, dryRun.exitCode(), dryRun::toString);
            assertFalse(dryRun.out().contains(temporary.toString()), "the dry run promises only what clean does:\n" + dryRun);

            final Cli.Result clean = Cli.run("clean", directory.toString());
            assertEquals(0, clean.exitCode(), clean::toString);
            assertTrue(Files.exists(temporary), clean::toString);
            assertTrue(lock.isValid());
        }
    }

    @Test
    void shouldRefuseAnEmptyDirectoryNameInsteadOfTheCurrentDirectory()
    {
        for (final String command : new String[] { "clean", "list" })
        {
            final Cli.Result result = Cli.run(command, "");
            assertTrue(result.exitCode() != 0, result::toString);
            assertTrue(result.err().contains("an empty directory name"), result::toString);
            assertEquals("", result.out().replaceAll("(?m)^RING +KIND.*\\R?", ""), "nothing examined:\n" + result);
        }
    }

    @Test
    void shouldWatchARingGivenRightAfterWatchWithoutSeconds() throws Exception
    {
        final Path ring = directory.resolve("watched");
        RingFile.create(ring, RingConfig.spsc(4096)).close();
        final Cli.Result watch = Cli.run("stat", "--watch", ring.toString(), "--count", "1");
        assertEquals(0, watch.exitCode(), watch::toString);
        assertTrue(watch.out().contains(ring.toString()), watch::toString);
    }

    @Test
    void shouldRefuseAWatchPeriodOfZeroAsAUsageError() throws Exception
    {
        final Path ring = directory.resolve("watched");
        RingFile.create(ring, RingConfig.spsc(4096)).close();
        final Cli.Result watch = Cli.run("stat", "--watch", "0", ring.toString());
        assertEquals(2, watch.exitCode(), watch::toString);
        assertTrue(watch.err().contains("--watch needs a positive number of seconds"), watch::toString);
    }

    @Test
    void shouldNotPromiseForceDeletesARingThisUserCannotDelete() throws Exception
    {
        final Path shared = directory.resolve("shared");
        try (RingFile file = RingFile.create(shared, RingConfig.spsc(4096));
             SpscProducer producer = new SpscProducer(file))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        }
        Files.setAttribute(shared, "unix:mode", 0644);
        final Cli.Result dryRun = Cli.run("clean", "--dry-run", directory.toString());
        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertTrue(dryRun.out().contains("kept     " + shared + " (1 unread message"), dryRun::toString);
        assertTrue(dryRun.out().contains("--force would not delete it: "), dryRun::toString);
        assertFalse(dryRun.out().contains("--force deletes it"), dryRun::toString);
    }
}
