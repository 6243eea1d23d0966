package io.shmring.ringbuffer;

import io.shmring.core.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MpscProducerMain} child JVM and the lines it prints.
 */
final class ProducerProcess implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int slot;

    ProducerProcess(final Path ring, final int producerId, final long count, final String mode, final long pauseMs)
        throws IOException, InterruptedException
    {
        process = ChildJvm.builder(MpscProducerMain.class,
            ring.toString(), Integer.toString(producerId), Long.toString(count), mode, Long.toString(pauseMs)).start();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the child went away; await() reports the missing line
            }
        }, "child-stdout-" + producerId);
        reader.setDaemon(true);
        reader.start();
        slot = Integer.parseInt(await("READY", 30_000).substring("READY ".length()));
    }

    int slot()
    {
        return slot;
    }

    long pid()
    {
        return process.pid();
    }

    void go() throws IOException
    {
        final OutputStream stdin = process.getOutputStream();
        stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }

    String await(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null)
            {
                throw new AssertionError("child did not print " + prefix + " within " + timeoutMs + " ms: alive=" +
                    process.isAlive() + " pid=" + process.pid());
            }
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }

    /**
     * SIGKILL, and wait until the process is gone.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("child did not exit within " + timeoutMs + " ms: pid=" + process.pid());
        }
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
                process.waitFor();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
