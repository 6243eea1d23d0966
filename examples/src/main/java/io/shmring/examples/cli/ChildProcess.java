package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the demo whose stdout and stderr lines are copied to the parent's, each prefixed with
 * the child's role, e.g. {@code [gateway   ] ...}, so the output of several processes reads as one log.
 */
final class ChildProcess
{
    private static final long RELAY_DRAIN_MS = 5_000;

    private final String role;
    private final Process process;
    private final Thread stdoutRelay;
    private final Thread stderrRelay;

    private ChildProcess(final String role, final Process process, final PrintWriter out, final PrintWriter err, final Object printLock)
    {
        this.role = role;
        this.process = process;
        final String prefix = String.format("[%-10s] ", role);
        this.stdoutRelay = relay(role + "-stdout", process.getInputStream(), prefix, out, printLock);
        this.stderrRelay = relay(role + "-stderr", process.getErrorStream(), prefix, err, printLock);
    }

    /**
     * @param role      name shown before each line.
     * @param mainClass the child's main class.
     * @param args      its arguments.
     * @param out       where its stdout lines go.
     * @param err       where its stderr lines go.
     * @param printLock lock every relay prints under, so lines never mix.
     * @return the started child.
     * @throws IOException if the JVM cannot be started.
     */
    static ChildProcess start(
        final String role,
        final Class<?> mainClass,
        final List<String> args,
        final PrintWriter out,
        final PrintWriter err,
        final Object printLock) throws IOException
    {
        final Process process = ChildJvm.builder(mainClass, List.of("-Xmx128m", "-XX:+UseSerialGC"), args)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
        return new ChildProcess(role, process, out, err, printLock);
    }

    String role()
    {
        return role;
    }

    Process process()
    {
        return process;
    }

    /**
     * Kill the child if it still runs, and wait until it and its output relays are done.
     */
    void destroyAndAwait() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        process.waitFor(RELAY_DRAIN_MS, TimeUnit.MILLISECONDS);
        stdoutRelay.join(RELAY_DRAIN_MS);
        stderrRelay.join(RELAY_DRAIN_MS);
    }

    private static Thread relay(final String name, final InputStream stream, final String prefix, final PrintWriter to, final Object printLock)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    synchronized (printLock)
                    {
                        to.println(prefix + line);
                        while (reader.ready() && (line = reader.readLine()) != null) // lines the child wrote together stay together
                        {
                            to.println(prefix + line);
                        }
                        to.flush();
                    }
                }
            }
            catch (final IOException ex)
            {
                synchronized (printLock)
                {
                    to.println(prefix + "(output lost: " + ex.getMessage() + ")");
                    to.flush();
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
