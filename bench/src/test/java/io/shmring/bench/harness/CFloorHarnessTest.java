package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the real harness in a child JVM with the C floor and the new shmring waits, tiny counts, and checks what it
 * prints and writes, never a figure: every transport's rows, the floor's ratio columns (the floor 1.00x against
 * itself), the idle-CPU table with rows per blocking shmring wait and the bare-JVM floor; and, with a compiler that does not exist, one note
 * and a run that goes on without the floor. Nothing may be left in the work directory.
 */
class CFloorHarnessTest
{
    /** Only a hang takes this long: sleeping round trips cost milliseconds each on a crowded machine. */
    private static final long HARNESS_TIMEOUT_S = 600;
    private static final List<String> TINY = List.of("--sizes", "64", "--count", "100", "--warmup", "10", "--oneway-count", "1000",
        "--jit-warmup", "0", "--rounds", "1", "--warmup-rounds", "0");

    @TempDir
    Path temp;

    @Test
    void shouldMeasureTheCFloorBesideShmringAndShowEveryRowsRatioToIt() throws Exception
    {
        assumeTrue(CCompiler.find(null).isPresent(), "no C compiler: " + CCompiler.lookedFor(null));
        final List<String> transports = List.of(CPingPong.SPIN, CPingPong.FUTEX, Peers.BASELINE, "shmring-spsc-adaptive",
            "shmring-spsc-sleep");
        final Run run = harness(List.of("--transports", String.join(",", transports), "--idle-seconds", "1"));
        assertEquals(0, run.exitCode, run.stdout);

        final List<String> rows = Files.readAllLines(run.csv).subList(1, 1 + 2 * transports.size());
        for (final String transport : transports)
        {
            assertTrue(rows.stream().anyMatch((row) -> row.startsWith(transport + ",rtt,64,100,")), transport + " rtt in " + rows);
            assertTrue(rows.stream().anyMatch((row) -> row.startsWith(transport + ",oneway,64,")), transport + " oneway in " + rows);
        }
        assertTrue(run.stdout.contains("C floor (c-spin, c-futex): pingpong.c built with "), run.stdout);
        assertTrue(run.stdout.lines().anyMatch((line) -> line.contains("vs spsc") && line.contains("vs C spin") &&
            line.contains("vs C futex")), run.stdout);
        final String markdown = Files.readString(run.markdown);
        assertTrue(markdown.contains("| c-spin | 64 B |") && markdown.lines()
            .filter((line) -> line.startsWith("| c-spin | 64 B |"))
            .allMatch((line) -> cells(line).get(columnOf(markdown, line, "vs C spin")).equals("1.00x")), markdown);
        assertTrue(markdown.lines().filter((line) -> line.startsWith("| c-futex | 64 B |"))
            .allMatch((line) -> cells(line).get(columnOf(markdown, line, "vs C futex")).equals("1.00x")), markdown);

        assertTrue(run.stdout.contains("Idle consumer CPU ("), run.stdout);
        for (final String idle : List.of("shmring-spsc-adaptive", "shmring-spsc-sleep", IdleCpu.FLOOR))
        {
            assertTrue(markdown.lines().anyMatch((line) -> line.startsWith("| " + idle + " | ") && cells(line).size() == 9),
                idle + " idle row in " + markdown);
        }
        assertNoFilesLeft(run.work);
    }

    @Test
    void shouldSkipTheCFloorWithOneNoteWhenThereIsNoCompilerAndMeasureTheRest() throws Exception
    {
        final Path missing = temp.resolve("no-such-cc");
        final Run run = harness(List.of("--transports", CPingPong.SPIN + "," + CPingPong.FUTEX + "," + Peers.BASELINE,
            "--cc", missing.toString(), "--idle-seconds", "0"));
        assertEquals(0, run.exitCode, run.stdout);
        final List<String> notes = run.stdout.lines().filter((line) -> line.contains("note:")).toList();
        assertEquals(List.of("  note: no C compiler (--cc " + missing + " is not an executable): c-spin, c-futex skipped"), notes);
        final List<String> lines = Files.readAllLines(run.csv);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("shmring-spsc,rtt,64,") && lines.get(2).startsWith("shmring-spsc,oneway,64,"),
            String.join("\n", lines));
        assertFalse(run.stdout.contains("vs C"), run.stdout);
        assertFalse(run.stdout.contains("Idle consumer CPU"), run.stdout);
        assertNoFilesLeft(run.work);
    }

    private Run harness(final List<String> options) throws Exception
    {
        final Path work = Files.createDirectories(temp.resolve("work"));
        final Path csv = temp.resolve("bench.csv");
        final Path markdown = temp.resolve("bench.md");
        final Path stdout = temp.resolve("stdout.txt");
        final List<String> args = new ArrayList<>(options);
        args.addAll(TINY);
        args.addAll(List.of("--work-dir", work.toString(), "--csv", csv.toString(), "--raw-csv",
            temp.resolve("rounds.csv").toString(), "--chart", temp.resolve("bench.png").toString(), "--markdown", markdown.toString()));
        final HarnessProcess.Result harness = HarnessProcess.run(ChronicleFlags.jvmFlags(), args, stdout, HARNESS_TIMEOUT_S);
        System.out.println(harness.stdout());
        return new Run(harness.exitCode(), harness.stdout(), csv, markdown, work);
    }

    private static List<String> cells(final String markdownRow)
    {
        final List<String> cells = new ArrayList<>();
        for (final String cell : markdownRow.substring(1, markdownRow.length() - 1).split("\\|"))
        {
            cells.add(cell.trim());
        }
        return cells;
    }

    /**
     * @return the index of a column in the header of the table {@code row} belongs to (the last header line before it).
     */
    private static int columnOf(final String markdown, final String row, final String column)
    {
        final List<String> lines = markdown.lines().toList();
        for (int i = lines.indexOf(row); i >= 0; i--)
        {
            if (lines.get(i).startsWith("| transport |"))
            {
                return cells(lines.get(i)).indexOf(column);
            }
        }
        throw new AssertionError("no header above " + row);
    }

    private static void assertNoFilesLeft(final Path work) throws Exception
    {
        try (Stream<Path> entries = Files.list(work))
        {
            assertFalse(entries.findAny().isPresent(), "files left in " + work);
        }
    }

    private record Run(int exitCode, String stdout, Path csv, Path markdown, Path work)
    {
    }
}
