package io.shmring.examples.readme;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * README's Java blocks cannot rot: every {@code ```java} block is a whole compilation unit that compiles (with
 * {@code -Xlint:all -Werror}) against the library as built, and the runnable ones run, in child JVMs, as README
 * tells a user to run them.
 */
class ReadmeSnippetsTest
{
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```$");
    private static final Pattern CLASS_NAME = Pattern.compile("(?m)^public final class (\\w+)");
    private static final long CHILD_TIMEOUT_S = 120;

    @TempDir
    static Path work;

    private static Map<String, String> snippets;
    private static Path classes;

    @BeforeAll
    static void compileReadmeSnippets() throws IOException
    {
        final Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        assertTrue(Files.isRegularFile(readme), "README.md not found at " + readme);
        snippets = extract(Files.readString(readme, StandardCharsets.UTF_8));

        final Path sources = Files.createDirectories(work.resolve("src"));
        classes = Files.createDirectories(work.resolve("classes"));
        final List<File> files = new ArrayList<>();
        for (final Map.Entry<String, String> snippet : snippets.entrySet())
        {
            final Path file = sources.resolve(snippet.getKey() + ".java");
            Files.writeString(file, snippet.getValue(), StandardCharsets.UTF_8);
            files.add(file.toFile());
        }

        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8))
        {
            final List<String> options = List.of(
                "--release", "17", "-Xlint:all", "-Werror",
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
            final boolean compiled = compiler.getTask(
                null, fileManager, diagnostics, options, null, fileManager.getJavaFileObjectsFromFiles(files)).call();
            final StringBuilder report = new StringBuilder();
            for (final Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics())
            {
                report.append(diagnostic).append('\n');
            }
            if (!compiled || !diagnostics.getDiagnostics().isEmpty())
            {
                fail("README's Java blocks do not compile cleanly:\n" + report);
            }
        }
    }

    @Test
    void shouldFindEveryJavaBlockOfTheReadme()
    {
        assertEquals(List.of("TickRing", "UriHello"), List.copyOf(snippets.keySet()),
            "README's ```java blocks, by class; a new block must be added to a run below or to this list");
    }

    @Test
    void shouldRunTheTickRingExampleAsTwoProcessesInEitherOrder() throws Exception
    {
        for (final boolean consumerFirst : new boolean[] { true, false })
        {
            final Path ring = TestPaths.uniqueShmPath("readme-ticks");
            try
            {
                final Process first = start("TickRing", consumerFirst ? "consume" : "produce", ring.toString(), "1000");
                final Process second = start("TickRing", consumerFirst ? "produce" : "consume", ring.toString(), "1000");
                final Process consumer = consumerFirst ? first : second;
                final Process producer = consumerFirst ? second : first;
                assertEquals(0, waitFor(producer), "producer exit");
                assertEquals(0, waitFor(consumer), "consumer exit");
                assertEquals("received 1000 ticks in order, last price 101000",
                    new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            finally
            {
                TestPaths.deleteQuietly(ring);
            }
        }
    }

    @Test
    void shouldRunTheUriExampleUnchangedOverSharedMemorySocketsAndTcp() throws Exception
    {
        final Path ring = TestPaths.uniqueShmPath("readme-hello");
        final Path socket = work.resolve("hello.sock");
        try
        {
            for (final String uri : List.of(
                "shm:" + ring + "?capacity=64k", "uds:" + socket, "tcp://127.0.0.1:" + freePort()))
            {
                final Process hello = start("UriHello", uri);
                assertEquals(0, waitFor(hello), uri);
                assertEquals("type 1: 42", new String(hello.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(), uri);
            }
        }
        finally
        {
            TestPaths.deleteQuietly(ring);
        }
    }

    private static Map<String, String> extract(final String readme)
    {
        final Map<String, String> found = new LinkedHashMap<>();
        final Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find())
        {
            final String source = block.group(1);
            final Matcher name = CLASS_NAME.matcher(source);
            if (!name.find())
            {
                fail("a ```java block of README.md is not a whole class ('public final class Name'):\n" + source);
            }
            if (found.put(name.group(1), source) != null)
            {
                fail("two ```java blocks of README.md declare class " + name.group(1));
            }
        }
        return found;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    private static Process start(final String mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.addAll(ChildJvm.REQUIRED_FLAGS);
        command.add("-cp");
        command.add(classes + File.pathSeparator + System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int waitFor(final Process process) throws InterruptedException
    {
        if (!process.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("child did not end within " + CHILD_TIMEOUT_S + " s: " + process.info().commandLine().orElse("?"));
        }
        return process.exitValue();
    }
}
