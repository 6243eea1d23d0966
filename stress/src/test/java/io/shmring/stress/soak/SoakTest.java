package io.shmring.stress.soak;

import io.shmring.core.internal.SharedMemoryDirectory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI soak: 3 producer JVMs and a consumer JVM, producers SIGKILLed at random and replaced, for at least
 * 20 s and until its coverage goals are reached. It must not pass vacuously, and it must not depend on how
 * fast this machine is: messages flowed, kills happened, two of them inside a claim the victim held open for
 * them (so the consumer had those claims to recover), producers slept on a full ring, and the consumer slept
 * on an empty one (it does before any producer starts). The run waits for these goals rather than hoping a
 * fixed time is enough; it fails only if one is still open after {@value #MAX_SECONDS} s, which only a hang
 * reaches (a quiet machine gets there in about 20 s).
 */
class SoakTest
{
    private static final long MIN_MESSAGES = 10_000;
    private static final long MIN_KILLS = 5;
    private static final long HELD_KILLS = 2;
    private static final long MAX_SECONDS = 300;

    @Test
    void shouldDeliverEveryCommittedMessageExactlyOnceInOrderWhileProducersAreKilled() throws IOException
    {
        final List<Path> before = soakFiles();
        final Soak soak = new Soak();
        // claim timeout 5 s: a live producer is judged dead only if its heartbeat thread stalls that long
        final int exit = new CommandLine(soak).execute(
            "--producers", "3", "--seconds", "20", "--max-seconds", String.valueOf(MAX_SECONDS), "--claim-timeout-ms", "5000",
            "--kill-interval-ms", "1500", "--in-claim-percent", "25", "--report-interval-s", "10",
            "--min-messages", String.valueOf(MIN_MESSAGES), "--min-kills", String.valueOf(MIN_KILLS),
            "--held-kills", String.valueOf(HELD_KILLS), "--min-full-waits", "1");
        final SoakReport report = soak.report();

        assertNotNull(report, "the soak did not finish a run: exit=" + exit);
        assertEquals(Soak.EXIT_PASSED, exit, report.line() + " " + report.failures());
        assertTrue(report.passed(), report.failures().toString());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(0, report.violations(), report.line());
        assertEquals(report.producers() + report.kills(), report.incarnations(), report.line());
        assertTrue(report.recoveries() <= report.kills(), report.line());
        // the goals the run waited for
        assertTrue(report.messages() >= MIN_MESSAGES, report.line());
        assertTrue(report.kills() >= MIN_KILLS, report.line());
        assertEquals(HELD_KILLS, report.heldKills(), report.line());
        assertTrue(report.killsInClaim() >= HELD_KILLS, "every held kill is a kill inside a claim: " + report.line());
        assertTrue(report.recoveries() >= HELD_KILLS, "every held claim was recovered: " + report.line());
        assertTrue(report.pausedClaims() >= HELD_KILLS, report.line());
        assertTrue(report.fullWaits() > 0, "the ring was never full: " + report.line());
        assertTrue(report.consumerSleeps() > 0, "the consumer never slept: " + report.line());
        assertEquals(before, soakFiles(), "the soak left files in " + SharedMemoryDirectory.get());
    }

    @Test
    void shouldFailNamingTheGoalsStillOpenWhenMaxSecondsPass() throws IOException
    {
        final List<Path> before = soakFiles();
        final Soak soak = new Soak();
        // 1000 kills, at most one per 0.75 s, cannot fit in 2 s on any machine; the only goal set, so the one named
        final int exit = new CommandLine(soak).execute(
            "--producers", "1", "--seconds", "1", "--max-seconds", "2", "--kill-interval-ms", "1500", "--min-kills", "1000",
            "--min-messages", "0");
        final SoakReport report = soak.report();

        assertNotNull(report, "the soak did not finish a run: exit=" + exit);
        assertEquals(Soak.EXIT_FAILED, exit, report.line());
        assertEquals(0, report.violations(), report.line());
        assertTrue(report.failures().stream().anyMatch(failure ->
            failure.startsWith("coverage goals not reached within 2 s: [kills=") && failure.endsWith("<1000]")), report.failures().toString());
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
