package io.shmring.ringbuffer.internal;

/**
 * What a party judge needs from the machine: this process's identity, a clock shared by every process of
 * the boot, and a way to ask whether a pid of this pid namespace still names a running process.
 * {@link LinuxHost} is the real one; tests (JCStress) supply simulated processes.
 */
public interface Host
{
    /**
     * What {@link #probe} found out about a pid.
     */
    enum Probe
    {
        /** A process with that pid and start ticks runs (not a zombie). */
        RUNNING,
        /** No such process, a zombie, or the pid now names a process that started at another time. */
        GONE,
        /** Cannot tell (for example {@code kill(pid, 0)} fails with EPERM): judge by the heartbeat. */
        UNKNOWN
    }

    /**
     * @return this process's pid, as its own pid namespace numbers it.
     */
    int pid();

    /**
     * @return clock ticks after boot when this process started (field 22 of {@code /proc/self/stat}), 0 if unknown.
     */
    long startTicks();

    /**
     * @return inode of this process's pid namespace, 0 if unknown (0 never matches another party's namespace).
     */
    long pidNamespace();

    /**
     * @return the first 10 hex digits of this boot's id (its dashes removed) as a number, 0 if unknown.
     */
    long bootId();

    /**
     * @return CLOCK_MONOTONIC in milliseconds.
     */
    long nowMs();

    /**
     * @return heartbeat age (ms) beyond which a party whose pid cannot be checked counts as dead.
     */
    long staleAfterMs();

    /**
     * @param pid        a pid of this process's pid namespace.
     * @param startTicks the start ticks recorded with it.
     * @return whether that very process still runs.
     */
    Probe probe(int pid, long startTicks);
}
