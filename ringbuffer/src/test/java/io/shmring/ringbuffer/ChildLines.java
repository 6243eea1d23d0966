package io.shmring.ringbuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines a child JVM prints on stdout, read by a daemon thread, for tests that coordinate with children by
 * handshake lines.
 */
final class ChildLines
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    ChildLines(final Process process, final String name)
    {
        this.process = process;
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
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @return the first line starting with {@code prefix} (earlier lines are skipped).
     * @throws AssertionError if none came within the timeout.
     */
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
}
