package io.shmring.examples.cli;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.internal.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code clean --force} racing publishers that open, publish one message and close, over and over: every message
 * published is either still in the ring afterwards or named in a "lost" line of clean's output — the accounting holds
 * whatever the interleaving, with publishers in this JVM and with {@code shmring send} processes. Before the fix, clean counted the unread messages from a first look and deleted later,
 * so a message published and committed in between went with the file unreported.
 */
class CleanRaceTest
{
    private static final int IN_PROCESS_PUBLICATIONS = 400;
    private static final int SEND_PROCESSES = 6;
    private static final Pattern DELETED = Pattern.compile("^deleted  (\\S+)(?: \\(lost ([\\d,]+) unread messages?, [\\d,]+ bytes\\))?$");

    private Path directory;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (directory != null)
        {
            try (Stream<Path> files = Files.list(directory))
            {
                for (final Path file : files.toList())
                {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    /** Publishers in this JVM: many attaches, so the race with clean's decision is hit often. */
    @Test
    void shouldNameEveryMessageItDeletesWhenPublishersAttachWhileItDecides() throws Exception
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        raceCleanAgainst(IN_PROCESS_PUBLICATIONS, (uri, i) ->
        {
            try (Publisher publisher = Transports.publisher(uri))
            {
                message.putLong(0, i);
                assertTrue(publisher.offer(1, message, 0, Long.BYTES, 30, TimeUnit.SECONDS), "no space for 30 s");
            }
        });
    }

    /** The operator's case: {@code shmring send} processes, each creating or attaching, publishing one line, exiting. */
    @Test
    void shouldNameEveryMessageItDeletesWhenSendProcessesAttachWhileItDecides() throws Exception
    {
        raceCleanAgainst(SEND_PROCESSES, (uri, i) ->
        {
            final Process send = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx64m"), List.of("send", uri))
                .redirectErrorStream(true).start();
            try (OutputStream stdin = send.getOutputStream())
            {
                stdin.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
            final String output = new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(send.waitFor(60, TimeUnit.SECONDS), "send did not end within 60 s");
            assertEquals(0, send.exitValue(), () -> "send failed: " + output);
        });
    }

    /** Publishes one message per call; i counts from 0. */
    private interface Publication
    {
        void publish(String uri, int i) throws Exception;
    }

    private void raceCleanAgainst(final int publications, final Publication publication) throws Exception
    {
        directory = Files.createDirectory(Cli.shmPath("clean-race"));
        final Path ring = directory.resolve("ring");
        final String uri = "shm:" + ring + "?capacity=64k";
        final AtomicBoolean publishing = new AtomicBoolean(true);
        final AtomicReference<Throwable> cleanerFailure = new AtomicReference<>();
        final List<String> cleanOutput = new ArrayList<>();
        final Thread cleaner = new Thread(() ->
        {
            try
            {
                while (publishing.get())
                {
                    final Cli.Result result = Cli.run("clean", "--force", directory.toString());
                    assertEquals(0, result.exitCode(), result::toString);
                    cleanOutput.addAll(result.outLines());
                }
            }
            catch (final Throwable ex)
            {
                cleanerFailure.set(ex);
            }
        }, "cleaner");
        cleaner.start();
        try
        {
            for (int i = 0; i < publications && cleanerFailure.get() == null; i++)
            {
                publication.publish(uri, i);
            }
        }
        finally
        {
            publishing.set(false);
            cleaner.join(TimeUnit.MINUTES.toMillis(2));
        }
        assertNull(cleanerFailure.get(), () -> "clean failed: " + cleanerFailure.get());

        long reportedLost = 0;
        int deletions = 0;
        for (final String line : cleanOutput)
        {
            final Matcher deleted = DELETED.matcher(line);
            if (deleted.matches())
            {
                deletions++;
                reportedLost += deleted.group(2) == null ? 0 : Long.parseLong(deleted.group(2).replace(",", ""));
            }
            else
            {
                assertTrue(line.startsWith("kept     ") || line.startsWith("gone     "), "unexpected line from clean: " + line);
            }
        }
        final long remaining = Files.exists(ring) ? drain(uri) : 0;
        System.out.printf("clean --force raced %d publications: %d deletions, %d messages reported lost, %d left in the " +
            "ring%n", publications, deletions, reportedLost, remaining);
        assertEquals(publications, reportedLost + remaining,
            "every published message is either in the ring or reported lost by clean:\n" + String.join("\n", cleanOutput));
    }

    private static long drain(final String uri)
    {
        try (Subscriber subscriber = Transports.subscriber(uri))
        {
            long count = 0;
            int read;
            do
            {
                read = subscriber.poll((typeId, buffer, offset, length) -> { }, Integer.MAX_VALUE);
                count += read;
            }
            while (read > 0);
            return count;
        }
    }
}
