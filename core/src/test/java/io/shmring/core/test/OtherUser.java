package io.shmring.core.test;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.FileAccess;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Child JVMs running as another local user ({@code nobody}, uid and gid 65534), for tests of what one
 * user can do to another: needs root and {@code runuser}. The class path is made readable to that user
 * (jars copied into a directory of mode 0755; directories must be readable already), and JNA unpacks
 * into a directory that user may write.
 * <p>
 * Close it to delete what it copied.
 */
public final class OtherUser implements AutoCloseable
{
    /** The other user. */
    public static final String NAME = "nobody";
    /** Its uid, and the gid of its group {@code nogroup}. */
    public static final int ID = 65534;

    private static final String RUNUSER = "/usr/sbin/runuser";

    private final Path shared;
    private final String classPath;

    private OtherUser(final Path shared, final String classPath)
    {
        this.shared = shared;
        this.classPath = classPath;
    }

    /**
     * @return why child JVMs cannot run as the other user here, or null if they can.
     */
    public static String unavailableReason()
    {
        if (FileAccess.effectiveUid() != 0)
        {
            return "needs root to start processes as " + NAME + " (running as uid " + FileAccess.effectiveUid() + ")";
        }
        if (!new File(RUNUSER).canExecute())
        {
            return "no " + RUNUSER;
        }
        try
        {
            final Process id = new ProcessBuilder(RUNUSER, "-u", NAME, "--", "id", "-u").redirectErrorStream(true).start();
            final String out = new String(id.getInputStream().readAllBytes()).trim();
            if (!id.waitFor(20, TimeUnit.SECONDS) || id.exitValue() != 0 || !out.equals(Integer.toString(ID)))
            {
                return "runuser -u " + NAME + " id -u said: " + out;
            }
        }
        catch (final IOException ex)
        {
            return "cannot run " + RUNUSER + ": " + ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /**
     * {@link #prepare()}, or skip the calling tests (a JUnit assumption) after printing why, where child JVMs cannot
     * run as the other user.
     *
     * @param tests what is skipped, for the printed reason.
     * @return the helper; close it.
     * @throws IOException if copying fails or a class directory is not readable by others.
     */
    public static OtherUser prepareOrSkip(final String tests) throws IOException
    {
        final String reason = unavailableReason();
        if (reason != null)
        {
            System.out.println("SKIPPED " + tests + ": " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        return prepare();
    }

    /**
     * Prepare a class path the other user can read. Call only when {@link #unavailableReason()} is null.
     *
     * @return the helper; close it.
     * @throws IOException if copying fails or a class directory is not readable by others.
     */
    public static OtherUser prepare() throws IOException
    {
        final Path shared = Files.createTempDirectory("shmring-other-user");
        Files.setAttribute(shared, "unix:mode", 0755);
        final Path jna = Files.createDirectory(shared.resolve("jna"));
        Files.setAttribute(jna, "unix:mode", 01777);
        final List<String> entries = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Path path = Path.of(entry);
            if (Files.isDirectory(path))
            {
                requireReadableByOthers(path);
                entries.add(entry);
            }
            else if (Files.isRegularFile(path))
            {
                final Path copy = shared.resolve(entries.size() + "-" + path.getFileName());
                Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setAttribute(copy, "unix:mode", 0644);
                entries.add(copy.toString());
            }
        }
        return new OtherUser(shared, String.join(File.pathSeparator, entries));
    }

    /**
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @return a builder running it as the other user, stderr inherited.
     */
    public ProcessBuilder builder(final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(RUNUSER, "-u", NAME, "--", ChildJvm.javaExecutable()));
        command.addAll(ChildJvm.REQUIRED_FLAGS);
        command.addAll(List.of("-XX:-UsePerfData", "-Djna.tmpdir=" + shared.resolve("jna"), "-cp", classPath,
            mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * @return a fresh directory like {@code /tmp}: owned by root, mode 1777 (anyone may add files, only
     * their owner may remove them).
     * @throws IOException if it cannot be made.
     */
    public Path stickyDirectory() throws IOException
    {
        final Path directory = Files.createTempDirectory(shared, "sticky");
        Files.setAttribute(directory, "unix:mode", 01777);
        return directory;
    }

    @Override
    public void close() throws IOException
    {
        try (Stream<Path> files = Files.walk(shared))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void requireReadableByOthers(final Path directory) throws IOException
    {
        for (Path step = directory.toAbsolutePath(); step != null; step = step.getParent())
        {
            final int mode = (Integer)Files.getAttribute(step, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0005) != 0005 && !Files.isSymbolicLink(step))
            {
                throw new UncheckedIOException(new IOException("class directory not readable by other users: " + step));
            }
        }
    }
}
