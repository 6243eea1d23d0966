package io.shmring.core.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started by a test: its stdout lines are collected as they arrive, and closing it kills
 * it if it is still running, so a failed test never leaves a process behind.
 */
public final class ChildProcess implements AutoCloseable
{
    private static final long READER_END_TIMEOUT_MS = 30_000;

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ChildProcess(final Process process)
    {
        this.process = process;
        this.reader = new Thread(this::readLines, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param builder a builder from {@link io.shmring.core.internal.ChildJvm}.
     * @return the started child.
     */
    public static ChildProcess start(final ProcessBuilder builder)
    {
        try
        {
            return new ChildProcess(builder.start());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + builder.command(), ex);
        }
    }

    /**
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * @return stdout lines seen so far.
     */
    public List<String> lines()
    {
        return lines;
    }

    /**
     * Wait for a line starting with {@code prefix}.
     *
     * @param prefix    start of the line.
     * @param timeoutMs how long to wait.
     * @return the line.
     * @throws AssertionError if the child exits or the time passes first.
     */
    public String awaitLine(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            // read before looking: once the reader has ended, the scan below has seen every line
            final boolean ended = !process.isAlive() && !reader.isAlive();
            final String line = findLine(prefix);
            if (line != null)
            {
                return line;
            }
            if (ended)
            {
                throw new AssertionError("child exited (code " + process.exitValue() + ") before printing '" + prefix +
                    "'; output: " + lines);
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new AssertionError("no line '" + prefix + "' within " + timeoutMs + " ms; output: " + lines);
            }
            Thread.sleep(5);
        }
    }

    private String findLine(final String prefix)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        return null;
    }

    /**
     * Wait until {@code count} stdout lines equal {@code line}.
     *
     * @param line      the whole line.
     * @param count     how many.
     * @param timeoutMs how long to wait.
     * @throws AssertionError if the child exits or the time passes first.
     */
    public void awaitLineCount(final String line, final int count, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (lines.stream().filter(line::equals).count() < count)
        {
            if (System.currentTimeMillis() > deadline || (!process.isAlive() && !reader.isAlive()))
            {
                throw new AssertionError("expected " + count + " lines '" + line + "'; output: " + lines);
            }
            Thread.sleep(5);
        }
    }

    /**
     * @param timeoutMs how long to wait.
     * @return the exit code.
     * @throws AssertionError if it does not exit in time (it is then killed).
     */
    public int awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + timeoutMs + " ms; output: " + lines);
        }
        reader.join(READER_END_TIMEOUT_MS); // the pipe ends with the child: only a hang takes this long
        return process.exitValue();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLines()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
            }
        }
        catch (final IOException ignored)
        {
            // the child went away; what it printed is kept
        }
    }
}
