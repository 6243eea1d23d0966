package io.shmring.bench.harness;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every child JVM of the harness (echo child, fan-out consumer, fan-in producer and consumer) does to start: run
 * its picocli command with help and errors on stderr (stdout may be a measured channel), and find the parent process it
 * watches; and how a parent ends the children a run leaves behind.
 */
final class ChildCommands
{
    private ChildCommands()
    {
    }

    /**
     * @param command a picocli command.
     * @param args    its arguments.
     * @return its exit code.
     */
    static int execute(final Object command, final String[] args)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(System.err, true));
        return commandLine.execute(args);
    }

    /**
     * @param parentPid the parent's pid.
     * @return the parent process.
     * @throws IllegalStateException if it is gone.
     */
    static ProcessHandle parent(final long parentPid)
    {
        return ProcessHandle.of(parentPid).orElseThrow(() -> new IllegalStateException("parent process is gone: pid=" + parentPid));
    }

    /**
     * Kill (SIGKILL) every child still alive and wait up to 10 s for each to go.
     *
     * @param children a run's children.
     * @throws InterruptedException if interrupted while waiting.
     */
    static void killAll(final List<Process> children) throws InterruptedException
    {
        for (final Process child : children)
        {
            if (child.isAlive())
            {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
