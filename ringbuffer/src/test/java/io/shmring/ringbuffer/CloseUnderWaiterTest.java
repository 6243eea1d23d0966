package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing an end from another thread while a thread sleeps in its take or timed offer, then closing the other end and
 * the file, must not unmap the file under the sleeper: it wakes within a slice and throws ClosedException. Run in a
 * child JVM, since the failure is the JVM dying (SIGSEGV in the wake line's read).
 */
class CloseUnderWaiterTest
{
    private static final int ROUNDS = 5;

    @ParameterizedTest(name = "{0} {1} waits")
    @CsvSource({ "SPSC, consumer", "SPSC, producer", "MPSC, consumer", "MPSC, producer", "BROADCAST, consumer",
        "BROADCAST, producer" })
    void shouldNotUnmapTheFileUnderAThreadAsleepOnAnEndClosedByAnotherThread(final RingKind kind, final String waiter)
        throws Exception
    {
        final Process child = ChildJvm.builder(CloseUnderWaiterChild.class, kind.name(), waiter, String.valueOf(ROUNDS))
            .redirectErrorStream(true).start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not end:\n" + out);
        assertEquals(0, child.exitValue(), "the child JVM died (a fault in unmapped memory?):\n" + out);
        final List<String> lines = out.lines().toList();
        assertTrue(lines.contains("SURVIVED"), out);
        for (int round = 0; round < ROUNDS; round++)
        {
            // the waiter learns its end closed: ClosedException, or the closing end's wake made its condition true
            // first and the call returned nothing (the ring was empty or full)
            final String expected = "round " + round + ": waiter got ";
            final String line = lines.stream().filter((l) -> l.startsWith(expected)).findFirst().orElse("missing");
            assertTrue(line.endsWith("ClosedException") || line.endsWith("take returned 0") ||
                line.endsWith("offer returned false"), out);
        }
    }
}
