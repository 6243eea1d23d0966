package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real harness ({@link BenchMain}) in a child JVM for the tests that check what a whole run prints and writes.
 */
final class HarnessProcess
{
    private HarnessProcess()
    {
    }

    /**
     * What the harness did.
     *
     * @param exitCode its exit code.
     * @param stdout   everything it printed on stdout (the tables).
     */
    record Result(int exitCode, String stdout)
    {
    }

    /**
     * @param jvmFlags       flags beyond shmring's.
     * @param args           the harness's options.
     * @param stdout         where its stdout goes (read back into the result).
     * @param timeoutSeconds only a hang takes this long; then it is killed and this throws.
     * @return its exit code and stdout.
     * @throws AssertionError if it runs longer than the timeout.
     * @throws Exception      if it cannot start, or its stdout cannot be read.
     */
    static Result run(final List<String> jvmFlags, final List<String> args, final Path stdout, final long timeoutSeconds)
        throws Exception
    {
        final Process harness = ChildJvm.builder(BenchMain.class, jvmFlags, args).redirectOutput(stdout.toFile()).start();
        if (!harness.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            harness.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("harness did not finish within " + timeoutSeconds + " s");
        }
        return new Result(harness.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8));
    }
}
