package io.shmring.examples.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code shmring -V}: the version the build wrote into {@code version.properties} (Maven resource filtering of
 * {@code src/main/version}), so it cannot disagree with the jar's coordinates.
 */
public final class BuildVersion implements CommandLine.IVersionProvider
{
    private static final String RESOURCE = "version.properties";

    /**
     * @return the project version, e.g. {@code 0.1.0-SNAPSHOT}.
     * @throws IllegalStateException when the build did not write the resource (a build that skipped process-resources).
     */
    public static String version()
    {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("no " + RESOURCE + " beside " + BuildVersion.class.getName()
                    + ": the build's process-resources phase did not run");
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${"))
            {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build: version=" + version);
            }
            return version;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String[] getVersion()
    {
        return new String[] { "shmring " + version() };
    }
}
