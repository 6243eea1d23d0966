package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options this issue added, parsed in-process: bad values are usage errors (exit code 2) naming the value, before
 * anything runs; good ones parse; the help lists the new transports.
 */
class BenchMainOptionsTest
{
    @Test
    void shouldRejectANegativeIdleTimeNamingIt()
    {
        assertUsageError("idleSeconds=-1", "--idle-seconds", "-1");
    }

    @Test
    void shouldRejectAnIdleTimeOverAnHourNamingIt()
    {
        assertUsageError("idleSeconds=3601", "--idle-seconds", "3601");
    }

    @Test
    void shouldRejectAnEmptyCompilerName()
    {
        assertUsageError("--cc needs a compiler name or path", "--cc", "");
    }

    @Test
    void shouldRejectAnUnknownTransportNamingIt()
    {
        assertUsageError("transport=c-warp", "--transports", "c-spin,c-warp");
    }

    @Test
    void shouldParseTheCompilerAndIdleTime()
    {
        final CommandLine.ParseResult parsed = new CommandLine(new BenchMain())
            .parseArgs("--cc", "/opt/cc", "--idle-seconds", "0", "--transports", "c-spin,c-futex");
        assertEquals("/opt/cc", parsed.matchedOptionValue("--cc", null));
        assertEquals(0, (int)parsed.matchedOptionValue("--idle-seconds", -1));
        assertEquals(List.of("c-spin", "c-futex"), parsed.matchedOptionValue("--transports", List.of()));
    }

    @Test
    void shouldListTheFloorAndTheNewWaitsInTheHelp()
    {
        final String usage = new CommandLine(new BenchMain()).getUsageMessage();
        for (final String name : List.of("c-spin", "c-futex", "shmring-spsc-adaptive", "shmring-spsc-sleep", "--cc", "--idle-seconds"))
        {
            assertTrue(usage.contains(name), name + " in " + usage);
        }
    }

    private static void assertUsageError(final String expected, final String... args)
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, commandLine.execute(args), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }
}
