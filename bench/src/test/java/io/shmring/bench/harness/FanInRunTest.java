package io.shmring.bench.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fan-in run whose producer process is killed (SIGKILL) once it has registered fails, naming that producer, instead
 * of waiting for messages that will never come; its other processes are killed and its directory deleted.
 */
class FanInRunTest
{
    /** Only a hang takes this long (3 child JVMs on a crowded 2-core machine). */
    private static final long TIMEOUT_S = 300;
    /** More messages than any machine sends before the kill lands: the run cannot end by itself first. */
    private static final long COUNT = 1L << 40;

    @TempDir
    Path temp;

    @AfterEach
    void killLeftovers()
    {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void shouldFailTheRunNamingAProducerThatWasKilled() throws Exception
    {
        for (final FanInPeer peer : FanInPeer.PEERS.all())
        {
            final Path directory = temp.resolve(peer.name());
            final RunPlan plan = new RunPlan(2, 64, 0, COUNT, 1, directory, TimeUnit.SECONDS.toNanos(TIMEOUT_S));
            final CompletableFuture<FanInResult> run = CompletableFuture.supplyAsync(() -> runOrThrow(new FanInRun(peer, plan)));
            final Path ready = directory.resolve("ready-producer-0");
            awaitFile(ready, run);
            final long pid = Long.parseLong(Handshake.read(ready).get("pid"));
            final ProcessHandle producer = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("producer-0 is gone: " + pid));
            assertTrue(producer.destroyForcibly(), "SIGKILL sent");

            final ExecutionException failure = assertThrows(ExecutionException.class, () -> run.get(TIMEOUT_S, TimeUnit.SECONDS));
            final String message = String.valueOf(failure.getCause().getMessage());
            assertTrue(message.contains(peer.name() + ": producer-0 failed with exit code"), message);
            assertFalse(Files.exists(directory), "run directory left: " + directory);
        }
    }

    private static FanInResult runOrThrow(final FanInRun run)
    {
        try
        {
            return run.run();
        }
        catch (final Exception ex)
        {
            throw new CompletionException(ex);
        }
    }

    private static void awaitFile(final Path file, final CompletableFuture<?> run)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!Files.exists(file))
        {
            if (run.isDone() || System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no " + file + " (run done: " + run.isDone() + ")");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
