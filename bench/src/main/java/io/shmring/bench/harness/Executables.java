package io.shmring.bench.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds programs the harness runs (taskset, the C compiler) as a shell would.
 */
final class Executables
{
    private Executables()
    {
    }

    /**
     * @param name a program name ({@code cc}), searched on {@code PATH}; or a path (it contains a {@code /}), taken as is.
     * @return the executable file, or empty if there is none by that name.
     */
    static Optional<Path> find(final String name)
    {
        if (name.contains("/"))
        {
            final Path path = Path.of(name);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        final String searchPath = System.getenv("PATH");
        if (searchPath == null)
        {
            return Optional.empty();
        }
        for (final String directory : searchPath.split(File.pathSeparator))
        {
            if (directory.isEmpty())
            {
                continue;
            }
            final Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
