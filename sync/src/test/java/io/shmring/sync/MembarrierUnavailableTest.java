package io.shmring.sync;

import io.shmring.core.internal.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process told membarrier is unavailable ({@code -Dshmring.membarrier=false}, as a seccomp filter or an old kernel
 * would leave it) keeps the fence on every line, and on a MEMBARRIER line, whose notifiers elsewhere skip theirs, sleeps
 * in short slices: a waiter a notifier missed still sees the condition within a poll, however long its own slice.
 */
class MembarrierUnavailableTest
{
    @Test
    void shouldFenceAndPollWhenMembarrierIsTurnedOff() throws Exception
    {
        final Process child = ChildJvm.builder(MembarrierOffChild.class, List.of("-Dshmring.membarrier=false"), List.of()).start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("REASON turned off by the system property shmring.membarrier=false", out.readLine());
            assertEquals("MODES FENCED FENCED_POLLING", out.readLine());
            final String polled = out.readLine();
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "child did not exit"); // only a hang takes this long
            assertEquals(0, child.exitValue(), "child failed: " + polled);
            final String[] fields = polled.split(" ");
            assertEquals("POLLED", fields[0], polled);
            assertEquals("true", fields[1], "the wait saw its condition: " + polled);
            // no notifier moved the sequence: only a sleep that ended by its (poll-bounded) slice can have returned it
            assertTrue(Long.parseLong(fields[2]) >= 1, polled);
        }
        finally
        {
            child.destroyForcibly();
        }
    }
}
