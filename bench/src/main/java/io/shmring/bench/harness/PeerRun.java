package io.shmring.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One measured run of a {@link MeasuredPeer}: one round, every size.
 *
 * @param jitPlan     run first, results discarded (plan 0 of the child's list).
 * @param plans       sizes and counts, measured.
 * @param round       round number (0: warm-up).
 * @param directory   a fresh directory for this run's files; made and deleted by the run.
 * @param pinning     CPU placement.
 * @param stallNanos  how long a channel may move nothing.
 * @param streamBatch {@code batch=} bytes for stream publishers.
 */
record PeerRun(SizePlan jitPlan, List<SizePlan> plans, int round, Path directory, CpuPinning pinning, long stallNanos,
    int streamBatch)
{
    /** Name of the first phase in the progress display. */
    static final String JIT_PHASE = "JIT warm-up";

    /**
     * @return the warm-up plan, then the measured ones: what a child is told.
     */
    List<SizePlan> allPlans()
    {
        final List<SizePlan> all = new ArrayList<>();
        all.add(jitPlan);
        all.addAll(plans);
        return all;
    }
}
