package io.shmring.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system's C compiler, which builds the C floor ({@code pingpong.c}, kept in this jar beside this class; its
 * source is {@code bench/src/main/c/pingpong.c}) into a run's directory.
 */
final class CCompiler
{
    /** Tried in this order on {@code PATH} when {@code --cc} is not given. */
    static final List<String> DEFAULT_NAMES = List.of("cc", "gcc");
    /** The program's source, a resource beside this class. */
    static final String SOURCE = "pingpong.c";
    private static final List<String> FLAGS = List.of("-O2", "-std=gnu11", "-Wall", "-Wextra");
    private static final long COMPILE_TIMEOUT_S = 120;

    private final Path compiler;

    private CCompiler(final Path compiler)
    {
        this.compiler = compiler;
    }

    /**
     * @param requested the {@code --cc} value (a name searched on {@code PATH}, or a path), or null for the defaults.
     * @return the compiler, or empty if there is none.
     */
    static Optional<CCompiler> find(final String requested)
    {
        for (final String name : requested != null ? List.of(requested) : DEFAULT_NAMES)
        {
            final Optional<Path> found = Executables.find(name);
            if (found.isPresent())
            {
                return Optional.of(new CCompiler(found.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param requested the {@code --cc} value, or null.
     * @return what {@link #find} looked for, for the note when it found nothing.
     */
    static String lookedFor(final String requested)
    {
        return requested != null ? "--cc " + requested + " is not an executable" :
            String.join(", ", DEFAULT_NAMES) + " not on PATH";
    }

    /**
     * @return the compiler's path.
     */
    Path path()
    {
        return compiler;
    }

    /**
     * Write the source into {@code directory} and compile it there.
     *
     * @param directory an existing directory (the run's work directory).
     * @return the executable.
     * @throws IOException          if the source cannot be written or the compiler cannot be started.
     * @throws IllegalStateException with the compiler's output if it fails or takes longer than 120 s.
     * @throws InterruptedException if interrupted while waiting for the compiler.
     */
    Path build(final Path directory) throws IOException, InterruptedException
    {
        final Path source = directory.resolve(SOURCE);
        try (InputStream in = CCompiler.class.getResourceAsStream(SOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("resource " + SOURCE + " is missing beside " + CCompiler.class.getName());
            }
            Files.copy(in, source);
        }
        final Path program = directory.resolve("pingpong");
        final List<String> command = new ArrayList<>();
        command.add(compiler.toString());
        command.addAll(FLAGS);
        command.addAll(List.of("-o", program.toString(), source.toString()));
        final Path log = directory.resolve("cc.log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("C compiler took longer than " + COMPILE_TIMEOUT_S + " s: command=" + command);
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 || !Files.isExecutable(program))
        {
            throw new IllegalStateException("C compiler failed with exit code " + process.exitValue() + ": command=" +
                command + " output=" + output);
        }
        return program;
    }
}
