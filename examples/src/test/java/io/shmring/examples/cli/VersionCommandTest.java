package io.shmring.examples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class VersionCommandTest
{
    @Test
    void shouldPrintTheVersionTheBuildWasGiven()
    {
        final String expected = System.getProperty("shmring.project.version");
        assertNotNull(expected, "surefire passes shmring.project.version (parent pom)");

        final Cli.Result result = Cli.run("-V");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("shmring " + expected, result.out().strip(), result.toString());
    }
}
