package io.shmring.bench.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Small key=value files between the parent and the child outside the measured channels (which may be
 * the child's stdin and stdout): the child's "ready" announcement and its wake counters at the end.
 * Written to a temporary name and renamed, so a reader never sees half a file.
 */
final class Handshake
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private Handshake()
    {
    }

    /**
     * @param file   where.
     * @param values what.
     */
    static void write(final Path file, final Map<String, String> values)
    {
        final Properties properties = new Properties();
        properties.putAll(values);
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (Writer writer = Files.newBufferedWriter(temporary))
            {
                properties.store(writer, null);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    /**
     * @param file where.
     * @return its values.
     */
    static Map<String, String> read(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        final Map<String, String> values = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            values.put(key, properties.getProperty(key));
        }
        return values;
    }

    /**
     * Wait for a file the child writes.
     *
     * @param file      where.
     * @param child     the child; its death ends the wait.
     * @param timeoutNs how long to wait.
     * @return the file's values.
     * @throws IllegalStateException if the child exits first or the timeout passes.
     */
    static Map<String, String> await(final Path file, final Process child, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!Files.exists(file))
        {
            if (!child.isAlive())
            {
                throw new IllegalStateException("child exited with code " + child.exitValue() + " before writing " + file);
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("child did not write " + file + " within " +
                    TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
            }
            LockSupport.parkNanos(POLL_NS);
        }
        return read(file);
    }
}
