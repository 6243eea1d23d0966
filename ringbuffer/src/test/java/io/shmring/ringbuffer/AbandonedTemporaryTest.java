package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.CreationTemporaries;
import io.shmring.core.test.ChildProcess;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A creator SIGKILLed while it writes its ring under the temporary name (issue 12, B1) leaves that file behind; the next
 * creator of the same path, or an operator's {@link RingFile#removeAbandonedTemporaries}, removes it — and never the
 * temporary file of a creator that still lives (it holds the file's creation lock).
 */
class AbandonedTemporaryTest
{
    /** Long enough for a child JVM to start on a loaded machine; only a hang exceeds it. */
    private static final long CHILD_START_MS = 120_000;
    private static final long LENGTH = RingConfig.spsc(1 << 20).fileLength();

    private final Path path = TestPaths.uniqueShmPath("abandoned");
    private ChildProcess creator;
    private Path temporary;

    @AfterEach
    void tearDown() throws Exception
    {
        if (creator != null)
        {
            creator.close();
        }
        TestPaths.deleteQuietly(path);
        if (temporary != null)
        {
            TestPaths.deleteQuietly(temporary);
        }
    }

    @Test
    void shouldReclaimTheTemporaryFileOfACreatorKilledWhileCreatingWhenThePathIsCreatedAgain() throws Exception
    {
        startCreator();
        killCreator();
        awaitUnchangedForAbandonedPeriod();

        try (RingFile file = RingFile.create(path, RingConfig.spsc(1 << 16)))
        {
            assertFalse(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "left by the killed creator: " + temporary);
            assertTrue(file.createdHere());
        }
    }

    @Test
    void shouldRemoveOnlyTheTemporaryFilesOfDeadCreatorsFromADirectory() throws Exception
    {
        startCreator();
        awaitUnchangedForAbandonedPeriod();

        final List<Path> whileAlive = RingFile.removeAbandonedTemporaries(path.getParent());
        assertFalse(whileAlive.contains(temporary), "removed a live creator's file: " + whileAlive);
        assertTrue(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "its creator lives and holds its lock");
        RingFile.create(path, RingConfig.spsc(1 << 16)).close(); // a creator of the same path leaves it too
        assertTrue(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "its creator lives and holds its lock");

        killCreator();
        final List<Path> afterDeath = RingFile.removeAbandonedTemporaries(path.getParent());
        assertTrue(afterDeath.contains(temporary), "not removed after its creator died: " + afterDeath);
        assertFalse(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS));
    }

    private void startCreator() throws Exception
    {
        creator = ChildProcess.start(ChildJvm.builder(CreatorChild.class, path.toString(), String.valueOf(LENGTH))
            .redirectError(ProcessBuilder.Redirect.INHERIT));
        temporary = Path.of(creator.awaitLine("CREATING", CHILD_START_MS).substring("CREATING ".length()));
        assertTrue(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "the temporary file is there: " + temporary);
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "nothing is published yet");
    }

    private void killCreator() throws InterruptedException
    {
        creator.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertTrue(creator.process().waitFor(CHILD_START_MS, TimeUnit.MILLISECONDS), "the creator did not die");
        assertTrue(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS), "a SIGKILLed creator leaves its temporary file");
    }

    /** The protocol's grace period (the instant between creating a temporary file and locking it) must pass. */
    private void awaitUnchangedForAbandonedPeriod() throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_START_MS);
        while (System.currentTimeMillis() - Files.getLastModifiedTime(temporary).toMillis() <= CreationTemporaries.ABANDONED_AFTER_MS &&
            System.nanoTime() - deadline < 0)
        {
            Thread.sleep(50);
        }
    }
}
