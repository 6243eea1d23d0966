package io.shmring.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CSV files: the summary (median of rounds, one row per transport, mode and size, with exactly
 * {@link #HEADER}) and every round's raw figures.
 */
final class CsvOutput
{
    /** The summary's header, fixed by the issue. */
    static final String HEADER = "transport,mode,size,count,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,msgs_per_s";

    /** The raw file's header: the summary's columns plus the round and the wake figures. */
    static final String RAW_HEADER = "round," + HEADER + ",waits_per_msg,wakes_per_msg";

    private CsvOutput()
    {
    }

    /**
     * @param file      where.
     * @param summaries rows.
     */
    static void writeSummary(final Path file, final List<Summary> summaries)
    {
        write(file, (writer) ->
        {
            writer.write(HEADER + "\n");
            for (final Summary s : summaries)
            {
                writer.write(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%.1f%n", s.transport(), s.mode(), s.size(),
                    s.count(), s.p50(), s.p90(), s.p99(), s.p999(), s.max(), s.msgsPerSec()));
            }
        });
    }

    /**
     * @param file    where.
     * @param results every measured round's rows.
     */
    static void writeRaw(final Path file, final List<PhaseResult> results)
    {
        write(file, (writer) ->
        {
            writer.write(RAW_HEADER + "\n");
            for (final PhaseResult r : results)
            {
                writer.write(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%.1f,%.4f,%.4f%n", r.round(), r.transport(),
                    r.mode(), r.size(), r.count(), r.p50(), r.p90(), r.p99(), r.p999(), r.max(), r.msgsPerSec(),
                    r.waitsPerMsg(), r.wakesPerMsg()));
            }
        });
    }

    private interface Body
    {
        void writeTo(Writer writer) throws IOException;
    }

    private static void write(final Path file, final Body body)
    {
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            try (Writer writer = Files.newBufferedWriter(file))
            {
                body.writeTo(writer);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
