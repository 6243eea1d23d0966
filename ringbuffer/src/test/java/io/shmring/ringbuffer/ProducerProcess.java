package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MpscProducerMain} child JVM and the lines it prints.
 */
final class ProducerProcess implements AutoCloseable
{
    private final Process process;
    private final ChildLines lines;
    private final int slot;

    ProducerProcess(final Path ring, final int producerId, final long count, final String mode, final long pauseMs)
        throws IOException, InterruptedException
    {
        process = ChildJvm.builder(MpscProducerMain.class,
            ring.toString(), Integer.toString(producerId), Long.toString(count), mode, Long.toString(pauseMs)).start();
        lines = new ChildLines(process, "child-stdout-" + producerId);
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
        return lines.await(prefix, timeoutMs);
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
