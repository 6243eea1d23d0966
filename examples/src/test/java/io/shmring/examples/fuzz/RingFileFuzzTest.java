package io.shmring.examples.fuzz;

import io.shmring.core.internal.ChildJvm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The seeded fuzz of mutated ring files ({@link RingFuzz}): 1,100 cases a run by default. The seed is printed; a failing
 * case names seed and case number, and {@code -Dshmring.fuzz.seed=S -Dshmring.fuzz.case=N} reruns that case alone
 * ({@code -Dshmring.fuzz.cases} sets how many). Figures (cases by mutation, outcomes, wall time) are printed.
 */
class RingFileFuzzTest
{
    private static final long SEED = Long.getLong("shmring.fuzz.seed", ThreadLocalRandom.current().nextLong());
    private static final int CASES = Integer.getInteger("shmring.fuzz.cases", 1_100);
    private static final int ONLY_CASE = Integer.getInteger("shmring.fuzz.case", -1);
    /** Far beyond a case's normal time (milliseconds): only a hang reaches it. */
    private static final long CASE_HANG_SECONDS = 60;

    @Test
    void shouldEndEveryMutatedRingInADocumentedExceptionOrACorrectResult() throws Exception
    {
        System.out.println("ring fuzz: seed=" + SEED + " cases=" + CASES + (ONLY_CASE >= 0 ? " only case " + ONLY_CASE : ""));
        final RingFuzz fuzz = new RingFuzz(SEED);
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "ring-fuzz");
            thread.setDaemon(true);
            return thread;
        });
        final long startNs = System.nanoTime();
        try
        {
            for (int i = ONLY_CASE >= 0 ? ONLY_CASE : 0; i < (ONLY_CASE >= 0 ? ONLY_CASE + 1 : CASES); i++)
            {
                final int caseNumber = i;
                final Future<?> result = executor.submit(() ->
                {
                    fuzz.run(caseNumber);
                    return null;
                });
                try
                {
                    result.get(CASE_HANG_SECONDS, TimeUnit.SECONDS);
                }
                catch (final TimeoutException ex)
                {
                    fail("fuzz seed=" + SEED + " case=" + caseNumber + " did not end within " + CASE_HANG_SECONDS + " s");
                }
                catch (final java.util.concurrent.ExecutionException ex)
                {
                    throw ex.getCause() instanceof Error ? (Error)ex.getCause() : new AssertionError(ex.getCause());
                }
            }
        }
        finally
        {
            executor.shutdownNow();
        }
        final long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.println("ring fuzz: seed=" + SEED + " wall time " + wallMs + " ms");
        System.out.println("ring fuzz: cases by mutation " + fuzz.casesByMutation());
        fuzz.outcomes().forEach((outcome, count) -> System.out.println("ring fuzz: " + count + "\t" + outcome));
        assertEquals(ONLY_CASE >= 0 ? 1 : CASES, fuzz.casesByMutation().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void shouldNotCrashWithAgronaBoundsChecksDisabled() throws Exception
    {
        final Process child = ChildJvm.builder(RingFuzzMain.class, List.of("-Xmx256m", "-Dagrona.disable.bounds.checks=true"),
                List.of(String.valueOf(SEED), "40"))
            .redirectErrorStream(true)
            .start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "fuzz child did not end");
        System.out.println(out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("bounds checks disabled: true"), out);
        assertTrue(out.contains("case 1 of the issue: CorruptRingException frame length=2147483647"), out);
        assertTrue(out.contains("FUZZ OK"), out);
    }
}
