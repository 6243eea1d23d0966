package io.shmring.stress;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs JCStress over this jar's tests and fails unless every test listed in {@code META-INF/TestList}
 * (or matched by {@code -t}) ran and passed. JCStress itself exits 0 when a regex matches nothing, so
 * the count check is what makes a green build mean the tests really ran.
 * <p>
 * Usage: {@code java -cp shmring-stress.jar io.shmring.stress.StressSuite [JCStress options, e.g. -m quick]}
 * <p>
 * JCStress writes its report directory and its {@code jcstress-results-*.bin.gz} dump into its working
 * directory; the suite runs it in the directory that holds this jar (the module's {@code target/}), so a run
 * from the repository root leaves nothing in the source tree.
 */
public final class StressSuite
{
    private static final String AGRONA_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /**
     * Every fork's flags: the Agrona export, and room for the tests' rings in direct memory. In quick and default mode
     * JCStress makes up to about 10,000 states at a time, and each ring a state allocates (about 25 KB) is freed only
     * when the GC collects it: the forks' default limit, their 256 MB heap, ran out (OutOfMemoryError in state setup).
     */
    private static final String FORK_FLAGS = AGRONA_FLAG + " -XX:MaxDirectMemorySize=1g";
    private static final Pattern TEST_LIST_ENTRY = Pattern.compile("^JCTEST(\\d+)S");
    private static final Pattern RESULT_LINE = Pattern.compile("\\[(OK|FAILED|ERROR|INTERESTING)]\\s+(\\S+)");

    private StressSuite()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Set<String> expected = expectedTests(filter(args));
        if (expected.isEmpty())
        {
            System.err.println("StressSuite: no JCStress test matches " + filter(args));
            System.exit(2);
        }
        final Path workDirectory = outputDirectory();
        final List<String> command = new ArrayList<>(List.of(
            io.shmring.core.internal.ChildJvm.javaExecutable(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", absoluteClassPath(), "org.openjdk.jcstress.Main",
            "-jvmArgsPrepend", FORK_FLAGS, "-r", "jcstress-results", "-v"));
        command.addAll(List.of(args));
        System.out.println("StressSuite: results in " + workDirectory.resolve("jcstress-results"));
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectErrorStream(true).start();
        final Set<String> passed = new TreeSet<>();
        final Set<String> failed = new TreeSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                System.out.println(line);
                // JCStress also prints [OK]/[FAILED] for its own environment probes: count test names only
                final Matcher m = RESULT_LINE.matcher(line);
                if (m.find() && expected.contains(m.group(2)))
                {
                    (m.group(1).equals("OK") ? passed : failed).add(m.group(2));
                }
            }
        }
        final int exit = process.waitFor();
        passed.removeAll(failed);
        final Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(passed);
        missing.removeAll(failed);
        System.out.printf("StressSuite: %d tests expected, %d passed, %d failed, %d did not run; JCStress exit %d; %.0f s%n",
            expected.size(), passed.size(), failed.size(), missing.size(), exit, (System.nanoTime() - start) / 1e9);
        if (exit != 0 || !failed.isEmpty() || !missing.isEmpty())
        {
            failed.forEach(t -> System.out.println("StressSuite: FAILED " + t));
            missing.forEach(t -> System.out.println("StressSuite: DID NOT RUN " + t));
            System.exit(1);
        }
    }

    /**
     * @return the directory holding this jar (or this class's class-path root): the module's build output.
     */
    private static Path outputDirectory() throws URISyntaxException
    {
        final Path codeSource = Path.of(StressSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path parent = codeSource.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }

    /**
     * The child runs in another directory, so relative class-path entries are made absolute.
     */
    private static String absoluteClassPath()
    {
        final StringJoiner joined = new StringJoiner(File.pathSeparator);
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            joined.add(entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().toString());
        }
        return joined.toString();
    }

    private static String filter(final String[] args)
    {
        for (int i = 0; i + 1 < args.length; i++)
        {
            if (args[i].equals("-t"))
            {
                return args[i + 1];
            }
        }
        return ".*";
    }

    /**
     * A TestList line is "JCTEST" followed by length-prefixed fields ({@code <n>S<n chars>}); the first
     * field is the test name.
     */
    private static String testName(final String line)
    {
        final Matcher m = TEST_LIST_ENTRY.matcher(line);
        if (!m.find())
        {
            return null;
        }
        final int length = Integer.parseInt(m.group(1));
        return line.substring(m.end(), Math.min(line.length(), m.end() + length));
    }

    private static Set<String> expectedTests(final String regex) throws IOException
    {
        final Pattern pattern = Pattern.compile(regex);
        final Set<String> tests = new TreeSet<>();
        try (InputStream in = StressSuite.class.getResourceAsStream("/META-INF/TestList"))
        {
            if (in == null)
            {
                throw new IllegalStateException("no META-INF/TestList on the class path: was the annotation processor run?");
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String name = testName(line);
                if (name != null && pattern.matcher(name).find())
                {
                    tests.add(name);
                }
            }
        }
        return tests;
    }
}
