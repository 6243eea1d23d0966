package io.shmring.sync;

/**
 * What every sleeper on a wake line is bound to do before its last check, so what a notifier may leave out: the half of
 * the Dekker pair (docs/LAYOUT.md 4.5) that the shared memory's owner (a ring file's layout version) promises for every
 * process using the line. All users of a line must agree on it, as on the {@link WakeMechanism}.
 */
public enum WakeProtocol
{
    /**
     * Sleepers make a full fence before their last check, and so does every notifier after its publication (ring
     * layout version 2; peers that do not know {@link #MEMBARRIER}).
     */
    FENCED,
    /**
     * Sleepers also issue {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)} before their last check, so a notifier in
     * a process registered for it needs no fence, only program order between its publication and its read of the
     * waiter count (ring layout version 3). A process that cannot issue membarrier keeps the notifier's fence and
     * bounds its own sleeps by {@link Eventcount#MEMBARRIER_UNAVAILABLE_SLICE_NANOS}.
     */
    MEMBARRIER
}
