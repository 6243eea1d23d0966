package io.shmring.bench.harness;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The options every child JVM of the harness (echo child, fan-out consumer, fan-in producer and consumer) gets from its
 * parent, as a picocli mixin: the run's directory, the handshake files, the parent to watch and the stall timeout.
 */
final class ChildOptions
{
    @Option(names = "--dir", required = true)
    private Path directory;

    @Option(names = "--ready-file", required = true)
    private Path readyFile;

    @Option(names = "--result-file", required = true)
    private Path resultFile;

    @Option(names = "--parent-pid", required = true)
    private long parentPid;

    @Option(names = "--stall-ms", required = true)
    private long stallMs;

    /**
     * The parent's side: these options for a child of this process.
     *
     * @param directory  the run's directory.
     * @param readyFile  where the child says it is ready.
     * @param resultFile where the child writes its figures.
     * @param stallNanos how long a channel may move nothing.
     * @return the arguments.
     */
    static List<String> args(final Path directory, final Path readyFile, final Path resultFile, final long stallNanos)
    {
        return List.of(
            "--dir", directory.toString(),
            "--ready-file", readyFile.toString(),
            "--result-file", resultFile.toString(),
            "--parent-pid", String.valueOf(ProcessHandle.current().pid()),
            "--stall-ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(stallNanos)));
    }

    /**
     * @return the run's directory.
     */
    Path directory()
    {
        return directory;
    }

    /**
     * @return where the child says it is ready ({@link Handshake#write}).
     */
    Path readyFile()
    {
        return readyFile;
    }

    /**
     * @return where the child writes its figures ({@link Handshake#write}).
     */
    Path resultFile()
    {
        return resultFile;
    }

    /**
     * @return the parent process.
     * @throws IllegalStateException if it is gone.
     */
    ProcessHandle parent()
    {
        return ChildCommands.parent(parentPid);
    }

    /**
     * @return how long a channel may move nothing, ns.
     */
    long stallNanos()
    {
        return TimeUnit.MILLISECONDS.toNanos(stallMs);
    }
}
