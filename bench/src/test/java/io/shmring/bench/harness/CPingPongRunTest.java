package io.shmring.bench.harness;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the C floor with the system's compiler and runs it, both modes, for real between two processes: every round
 * trip is checked and echoed, every one-way message sent and received in order, every sampled latency present (the
 * run throws otherwise), and the results are the plan's sizes, modes and counts. An echo that alters one sequence
 * number makes the run fail. Needs a C compiler (skipped without one: the harness's note covers that machine).
 * Counts are small: a futex round trip may cost milliseconds on a crowded machine.
 */
class CPingPongRunTest
{
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(60);
    private static final SizePlan JIT = new SizePlan(256, 0, 1, 0, 1);
    /** The 4 KiB plan moves about 5 MiB through the 4 MiB pong ring: it wraps, across a padding record. */
    private static final List<SizePlan> PLANS = List.of(new SizePlan(16, 10, 100, 100, 1_000), new SizePlan(4096, 5, 50, 100, 1_100));

    @TempDir
    static Path built;

    private static Path program;

    @TempDir
    Path temp;

    @BeforeAll
    static void build() throws Exception
    {
        final Optional<CCompiler> compiler = CCompiler.find(null);
        if (compiler.isPresent())
        {
            program = compiler.get().build(built);
        }
    }

    @Test
    void shouldDeliverEveryMessageInOrderWhenSpinning() throws Exception
    {
        assertResultsFollowThePlans(run(CPingPong.SPIN, false, List.of()));
    }

    @Test
    void shouldDeliverEveryMessageInOrderWhenSleepingOnEveryMessage() throws Exception
    {
        assertResultsFollowThePlans(run(CPingPong.FUTEX, true, List.of()));
    }

    @Test
    void shouldFailWhenAnEchoCarriesTheWrongSequence()
    {
        // sends 0 and 1 are the warm-up plan's echo and one-way message, 2..111 the first plan's echoes
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> run(CPingPong.SPIN, false, List.of("--fault-at", "5")));
        assertTrue(ex.getMessage().contains("echo does not match its ping: sent sequence=3"), ex.getMessage());
    }

    @Test
    void shouldFailWhenAOneWayMessageIsOutOfOrder()
    {
        // sends 0..1 are the warm-up plan's echo and one-way message, 2..111 the first plan's echoes, then its stream
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> run(CPingPong.FUTEX, true, List.of("--fault-at", "150")));
        assertTrue(ex.getMessage().contains("one-way message out of order: expected sequence=38"), ex.getMessage());
    }

    @Test
    void shouldCountSampledSequencesOfAMeasuredRange()
    {
        assertEquals(1, CPingPongRun.sampledBetween(0, 1));
        assertEquals(2, CPingPongRun.sampledBetween(0, 65));
        assertEquals(1, CPingPongRun.sampledBetween(1, 65));
        assertEquals(0, CPingPongRun.sampledBetween(1, 64));
        assertEquals(16, CPingPongRun.sampledBetween(100, 1_100));
    }

    private List<PhaseResult> run(final String name, final boolean futex, final List<String> echoOptions) throws Exception
    {
        assumeTrue(program != null, "no C compiler: " + CCompiler.lookedFor(null));
        final Path directory = temp.resolve("run");
        final PeerRun run = new PeerRun(JIT, PLANS, 1, directory, CpuPinning.detect(false), STALL_NS, 0);
        final List<String> phases = new ArrayList<>();
        try
        {
            final List<PhaseResult> results = new CPingPongRun(new CPingPong(name, futex, program), program, run, echoOptions)
                .run((size, mode) -> phases.add(size + " " + mode));
            assertEquals(List.of("256 " + PeerRun.JIT_PHASE, "256 " + PeerRun.JIT_PHASE, "16 rtt", "16 oneway", "4096 rtt",
                "4096 oneway"), phases);
            return results;
        }
        finally
        {
            assertFalse(Files.exists(directory), "the run's directory is deleted");
        }
    }

    private static void assertResultsFollowThePlans(final List<PhaseResult> results)
    {
        assertEquals(2 * PLANS.size(), results.size(), results.toString());
        for (int i = 0; i < PLANS.size(); i++)
        {
            final SizePlan plan = PLANS.get(i);
            final PhaseResult rtt = results.get(2 * i);
            final PhaseResult oneway = results.get(2 * i + 1);
            assertEquals(PhaseResult.RTT, rtt.mode());
            assertEquals(plan.size(), rtt.size());
            assertEquals(plan.rttCount(), rtt.count());
            assertTrue(rtt.p50() > 0 && rtt.p50() <= rtt.max(), rtt.toString());
            assertEquals(PhaseResult.ONEWAY, oneway.mode());
            assertEquals(plan.size(), oneway.size());
            assertTrue(oneway.count() >= 1 && oneway.count() <= plan.onewayCount(), oneway.toString());
        }
    }
}
