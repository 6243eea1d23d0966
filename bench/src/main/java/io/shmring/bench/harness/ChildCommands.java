package io.shmring.bench.harness;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * What every child JVM of the harness (echo child, fan-out consumer) does to start: run its picocli command with help
 * and errors on stderr (stdout may be a measured channel), and find the parent process it watches.
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
}
