package io.shmring.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One line describing where the benchmark runs: CPUs and model, JDK, kernel, load average.
 */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    /**
     * @return the description; parts that cannot be read are left out.
     */
    static String describe()
    {
        final StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" CPUs");
        final String model = cpuModel();
        if (model != null)
        {
            text.append(" (").append(model).append(')');
        }
        text.append(", JDK ").append(System.getProperty("java.runtime.version"))
            .append(" (").append(System.getProperty("java.vm.name")).append(')')
            .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"));
        final String load = loadAverage();
        if (load != null)
        {
            text.append(", load average ").append(load);
        }
        return text.toString();
    }

    /**
     * @return the 1, 5 and 15 minute load averages as {@code uptime} prints them, or null where /proc has none.
     */
    static String loadAverage()
    {
        final String load = firstLine(Path.of("/proc/loadavg"));
        if (load == null)
        {
            return null;
        }
        final String[] fields = load.split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String cpuModel()
    {
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (final String line : lines)
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
        return null;
    }

    private static String firstLine(final Path file)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : lines.get(0);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
