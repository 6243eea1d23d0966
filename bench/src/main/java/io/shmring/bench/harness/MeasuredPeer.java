package io.shmring.bench.harness;

import java.util.List;

/**
 * A peer of the point-to-point tables: measured once per round, every size, round trips then one-way. The Java
 * transports ({@link Transport}) run through an echoing child JVM ({@link ChildRun}); the C floor
 * ({@link CPingPong}) runs two processes of its own.
 */
interface MeasuredPeer
{
    /**
     * @return the name used by {@code --transports} and in the CSV, e.g. {@code shmring-spsc}.
     */
    String name();

    /**
     * @return one line: what is measured and how it waits.
     */
    String description();

    /**
     * @return true if the receiving side may sleep in the kernel (its wait and wake calls are reported).
     */
    boolean blocking();

    /**
     * Run every size once: round trips, then one-way.
     *
     * @param run      the plans, the round, the run's directory (made and deleted by this call), pinning and limits.
     * @param listener told as each phase starts.
     * @return one result per measured size and mode, in plan order.
     * @throws Exception if a process fails, a message is lost or out of order, or a channel stalls.
     */
    List<PhaseResult> measure(PeerRun run, PhaseListener listener) throws Exception;

    /**
     * Told before each phase starts, for the progress display.
     */
    interface PhaseListener
    {
        /**
         * @param size payload bytes.
         * @param mode {@link PhaseResult#RTT}, {@link PhaseResult#ONEWAY} or {@code JIT warm-up}.
         */
        void onPhase(int size, String mode);
    }
}
