package io.shmring.ringbuffer.liveness;

import io.shmring.ringbuffer.internal.PartyDescriptor;

/**
 * A snapshot of one party record as a judge saw it.
 *
 * @param ownerWord      the owner word read ({@code generation << 32 | pid}).
 * @param liveness       the judgement.
 * @param heartbeatAgeMs age of the owner's heartbeat in ms, or -1 if the owner has written none yet.
 * @param sameNamespace  true if the owner shares the judge's pid namespace and boot, so its pid was checked.
 * @param heartbeatOnly  true if the judgement rests on the heartbeat alone (the pid could not be checked): a holder
 *                       judged {@link Liveness#DEAD} that way may be a process stopped longer than the staleness period,
 *                       not a dead one; false for a free record, a checked pid, or another boot.
 * @param heartbeatAheadMs how far the owner's heartbeat is ahead of the judge's clock, in ms (its age is then taken as
 *                       0: docs/LAYOUT.md 6.1 point 3), or 0. A party in a time namespace whose clock runs ahead looks
 *                       like this, and so does an overwritten heartbeat word: such a party is never judged dead by its
 *                       heartbeat, so an operator is shown the figure.
 */
public record PartyStatus(long ownerWord, Liveness liveness, long heartbeatAgeMs, boolean sameNamespace,
    boolean heartbeatOnly, long heartbeatAheadMs)
{
    /**
     * How a party record was judged.
     */
    public enum Liveness
    {
        /** No process holds the role. */
        FREE,
        /** The holder runs: its pid checks out, or (where the pid cannot be checked) its heartbeat is fresh. */
        ALIVE,
        /** The holder is gone: no such process, a zombie, a recycled pid, another boot, or a stale heartbeat. */
        DEAD,
        /**
         * A process has just taken the role and not yet written its identity; alive unless it stays so for
         * the staleness period.
         */
        ATTACHING
    }

    /**
     * @return the holder's pid (in its own pid namespace), 0 if free.
     */
    public int pid()
    {
        return PartyDescriptor.pid(ownerWord);
    }

    /**
     * @return how many times the role was attached.
     */
    public int generation()
    {
        return PartyDescriptor.generation(ownerWord);
    }

    /**
     * @return true if a process holds the role and is not known to be dead.
     */
    public boolean isHeld()
    {
        return liveness == Liveness.ALIVE || liveness == Liveness.ATTACHING;
    }

    @Override
    public String toString()
    {
        if (liveness == Liveness.FREE)
        {
            return "none";
        }
        return "pid " + pid() + (sameNamespace ? "" : " (other pid namespace)") + " " + liveness.name().toLowerCase() +
            (heartbeatAgeMs < 0 ? ", no heartbeat yet" : heartbeatAheadMs > 0 ?
                ", heartbeat " + heartbeatAheadMs + " ms ahead of this clock" : ", heartbeat " + heartbeatAgeMs + " ms ago");
    }
}
