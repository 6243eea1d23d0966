package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the real harness in a child JVM (which starts its own echo children) with tiny counts over three
 * transports, and checks what it writes: the exact CSV header, a row per transport, mode and size with
 * ordered positive figures, the PNG, the table with the baseline ratio and wake columns, and no files
 * left in the work directory. Figures are not judged: speed is not asserted in tests.
 */
class BenchMainSmokeTest
{
    private static final List<String> TRANSPORTS = List.of("shmring-spsc", "shmring-spsc-futex", "agrona-one-to-one");
    private static final List<Integer> SIZES = List.of(32, 4096);
    /**
     * Only a hang takes this long. A futex round trip costs a scheduler wake-up each way, tens of milliseconds on
     * a crowded machine, so the run moves few messages: no JIT warm-up (it would be a ring's worth, 16,640 round
     * trips, which overran 600 s at load average 30 on 2 cores), 110 round trips and 1,100 one-way messages a size.
     */
    private static final long HARNESS_TIMEOUT_S = 600;
    private static final byte[] PNG_SIGNATURE = { (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    @TempDir
    Path temp;

    @Test
    void shouldWriteTableCsvAndChartForTheSelectedTransports() throws Exception
    {
        final Path csv = temp.resolve("bench.csv");
        final Path raw = temp.resolve("rounds.csv");
        final Path chart = temp.resolve("bench.png");
        final Path work = Files.createDirectories(temp.resolve("work"));
        final Path stdout = temp.resolve("stdout.txt");
        final List<String> args = List.of(
            "--transports", String.join(",", TRANSPORTS), "--sizes", "32,4096",
            "--count", "100", "--warmup", "10", "--oneway-count", "1000", "--jit-warmup", "0",
            "--rounds", "1", "--warmup-rounds", "0", "--idle-seconds", "0", "--work-dir", work.toString(),
            "--csv", csv.toString(), "--raw-csv", raw.toString(), "--chart", chart.toString());
        final HarnessProcess.Result harness = HarnessProcess.run(ChronicleFlags.jvmFlags(), args, stdout, HARNESS_TIMEOUT_S);
        final String table = harness.stdout();
        assertEquals(0, harness.exitCode(), table);

        final List<String> lines = Files.readAllLines(csv);
        assertEquals("transport,mode,size,count,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,msgs_per_s", lines.get(0));
        assertEquals(1 + TRANSPORTS.size() * SIZES.size() * 2, lines.size(), String.join("\n", lines));
        final List<String> seen = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] cells = line.split(",");
            assertEquals(10, cells.length, line);
            seen.add(cells[0] + "/" + cells[1] + "/" + cells[2]);
            final long[] latencies = new long[5];
            for (int i = 0; i < 5; i++)
            {
                latencies[i] = Long.parseLong(cells[4 + i]);
            }
            assertTrue(Long.parseLong(cells[3]) > 0, line);
            assertTrue(latencies[0] > 0, line);
            for (int i = 1; i < 5; i++)
            {
                assertTrue(latencies[i] >= latencies[i - 1], "percentiles out of order: " + line);
            }
            assertTrue(Double.parseDouble(cells[9]) > 0, line);
        }
        for (final String transport : TRANSPORTS)
        {
            for (final int size : SIZES)
            {
                assertTrue(seen.contains(transport + "/rtt/" + size), transport + " rtt " + size + " in " + seen);
                assertTrue(seen.contains(transport + "/oneway/" + size), transport + " oneway " + size + " in " + seen);
            }
        }

        assertEquals(CsvOutput.RAW_HEADER, Files.readAllLines(raw).get(0));
        final byte[] png = Files.readAllBytes(chart);
        assertTrue(png.length > 1000, "PNG of " + png.length + " bytes");
        final byte[] signature = new byte[PNG_SIGNATURE.length];
        System.arraycopy(png, 0, signature, 0, signature.length);
        assertArrayEquals(PNG_SIGNATURE, signature);

        assertTrue(table.contains("vs spsc"), table);
        assertTrue(table.lines().anyMatch((line) -> line.startsWith("shmring-spsc ") && line.contains("1.00x")), table);
        assertTrue(table.lines().anyMatch((line) -> line.startsWith("shmring-spsc-futex ") && !line.endsWith("-")), table);
        assertTrue(table.lines().anyMatch((line) -> line.startsWith("agrona-one-to-one ") && line.endsWith("-")), table);
        assertFalse(hasFiles(work), "files left in " + work);
    }

    private static boolean hasFiles(final Path directory) throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isPresent();
        }
    }
}
