package io.shmring.core.internal;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command that starts another JVM running a main class of this class path, with the
 * flags shmring needs (Agrona's export, JNA's native access). Used by cross-process tests, the
 * examples and the benchmark harness, so a child always sees the same classes as its parent.
 */
public final class ChildJvm
{
    /** Flags every JVM that loads shmring needs. */
    public static final List<String> REQUIRED_FLAGS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED");

    private ChildJvm()
    {
    }

    /**
     * @return the java launcher of the running JVM.
     */
    public static String javaExecutable()
    {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * @param mainClass class whose {@code main} the child runs.
     * @param jvmFlags  extra JVM flags (heap size, system properties).
     * @param args      program arguments.
     * @return a process builder for the child, its error stream inherited.
     */
    public static ProcessBuilder builder(final Class<?> mainClass, final List<String> jvmFlags, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(REQUIRED_FLAGS);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * @param mainClass class whose {@code main} the child runs.
     * @param args      program arguments.
     * @return a process builder for the child with no extra flags.
     */
    public static ProcessBuilder builder(final Class<?> mainClass, final String... args)
    {
        return builder(mainClass, List.of(), List.of(args));
    }
}
