package io.shmring.stress.soak;

import io.shmring.core.SharedMemoryDirectory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI soak: 3 producer JVMs and a consumer JVM for 30 s, producers SIGKILLed at random and replaced.
 * It must not pass vacuously: messages flowed, kills happened, some landed inside a claim and the
 * consumer recovered claims, producers slept on a full ring and the consumer slept on an empty one.
 */
class SoakTest
{
    private static final long MIN_MESSAGES = 10_000;
    private static final long MIN_KILLS = 5;

    @Test
    void shouldDeliverEveryCommittedMessageExactlyOnceInOrderWhileProducersAreKilled() throws IOException
    {
        final List<Path> before = soakFiles();
        final Soak soak = new Soak();
        final int exit = new CommandLine(soak).execute(
            "--producers", "3", "--seconds", "30", "--claim-timeout-ms", "1000", "--kill-interval-ms", "1500",
            "--in-claim-percent", "50", "--report-interval-s", "10");
        final SoakReport report = soak.report();

        assertEquals(Soak.EXIT_PASSED, exit, report.line() + " " + report.failures());
        assertTrue(report.passed(), report.failures().toString());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(0, report.violations(), report.line());
        assertTrue(report.messages() >= MIN_MESSAGES, report.line());
        assertTrue(report.kills() >= MIN_KILLS, report.line());
        assertEquals(report.producers() + report.kills(), report.incarnations(), report.line());
        assertTrue(report.killsInClaim() >= 1, "no kill landed inside a claim: " + report.line());
        assertTrue(report.recoveries() >= 1, "no dead claim was recovered: " + report.line());
        assertTrue(report.recoveries() <= report.kills(), report.line());
        assertTrue(report.pausedClaims() > 0, report.line());
        assertTrue(report.fullWaits() > 0, "the ring was never full: " + report.line());
        assertTrue(report.consumerSleeps() > 0, "the consumer never slept: " + report.line());
        assertEquals(before, soakFiles(), "the soak left files in " + SharedMemoryDirectory.get());
    }

    private static List<Path> soakFiles() throws IOException
    {
        final String prefix = "shmring-soak-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(SharedMemoryDirectory.get()))
        {
            return files.filter(path -> path.getFileName().toString().startsWith(prefix)).collect(Collectors.toList());
        }
    }
}
