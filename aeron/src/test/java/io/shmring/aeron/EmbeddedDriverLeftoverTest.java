package io.shmring.aeron;

import io.shmring.core.internal.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A killed process cannot delete its embedded driver's directory; the next embedded driver removes it, and
 * only it.
 */
class EmbeddedDriverLeftoverTest
{
    @TempDir
    Path parent;

    @Test
    void shouldRemoveDirectoryOfDeadProcessOnly() throws Exception
    {
        final Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        final long goneStart = gone.info().startInstant().map((instant) -> instant.toEpochMilli()).orElse(1L);
        final long namespace = EmbeddedDriver.pidNamespace();
        assertTrue(namespace > 0, "this Linux tells its pid namespace");
        final Path dead = directory(EmbeddedDriver.DIRECTORY_PREFIX + gone.pid() + "-" + goneStart + "-" + namespace + "-1a2b");
        Files.writeString(dead.resolve("cnc.dat"), "not a CnC file");
        final Path deadElsewhere = directory(EmbeddedDriver.DIRECTORY_PREFIX + gone.pid() + "-" + goneStart + "-" +
            (namespace + 1) + "-1a2c");
        final Path alive = directory(EmbeddedDriver.DIRECTORY_PREFIX + ProcessIdentity.currentPid() + "-" +
            ProcessIdentity.currentStartTimeMs() + "-" + namespace + "-3c4d");
        final Path otherName = directory(EmbeddedDriver.DIRECTORY_PREFIX + "not-a-pid-5e6f");
        final Path unrelated = directory("aeron-" + gone.pid());

        EmbeddedDriver.removeLeftovers(parent);

        assertFalse(Files.exists(dead), "the dead process's directory is removed");
        assertFalse(Files.exists(deadElsewhere), "from another pid namespace: removed as no driver heartbeats there");
        assertTrue(Files.exists(alive), "a live process's directory stays");
        assertTrue(Files.exists(otherName), "a name not of the pattern stays");
        assertTrue(Files.exists(unrelated), "another prefix stays");
    }

    private Path directory(final String name) throws Exception
    {
        return Files.createDirectory(parent.resolve(name));
    }
}
