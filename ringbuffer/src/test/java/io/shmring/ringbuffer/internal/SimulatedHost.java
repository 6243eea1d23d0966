package io.shmring.ringbuffer.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process on a simulated machine, for tests of the party protocol that need several "processes" in one JVM
 * (JCStress actors, unit tests of the attach window): its own pid, start ticks, pid namespace and boot, a clock
 * the test sets, and a table of which (pid, start ticks) run, shared by the hosts of one simulated machine.
 */
public final class SimulatedHost implements Host
{
    private final Map<Integer, Long> running;
    private final int pid;
    private final long startTicks;
    private final long pidNamespace;
    private final long bootId;
    private volatile long nowMs;
    private final long staleAfterMs;

    /**
     * @param running      the machine's running processes (pid to start ticks), shared by its hosts.
     * @param pid          this process's pid in its namespace.
     * @param startTicks   its start ticks.
     * @param pidNamespace its pid namespace.
     * @param bootId       the machine's boot id.
     * @param nowMs        the clock's value.
     * @param staleAfterMs the staleness period.
     */
    public SimulatedHost(final Map<Integer, Long> running, final int pid, final long startTicks, final long pidNamespace,
        final long bootId, final long nowMs, final long staleAfterMs)
    {
        this.running = running;
        this.pid = pid;
        this.startTicks = startTicks;
        this.pidNamespace = pidNamespace;
        this.bootId = bootId;
        this.nowMs = nowMs;
        this.staleAfterMs = staleAfterMs;
    }

    /**
     * @return a new empty table of running processes.
     */
    public static Map<Integer, Long> machine()
    {
        return new ConcurrentHashMap<>();
    }

    /**
     * Start this process on its machine (its pid runs with its start ticks).
     *
     * @return this host.
     */
    public SimulatedHost start()
    {
        running.put(pid, startTicks);
        return this;
    }

    /**
     * Kill this process: its pid no longer runs.
     */
    public void kill()
    {
        running.remove(pid);
    }

    /**
     * @param nowMs the clock's new value.
     */
    public void setNowMs(final long nowMs)
    {
        this.nowMs = nowMs;
    }

    @Override
    public int pid()
    {
        return pid;
    }

    @Override
    public long startTicks()
    {
        return startTicks;
    }

    @Override
    public long pidNamespace()
    {
        return pidNamespace;
    }

    @Override
    public long bootId()
    {
        return bootId;
    }

    @Override
    public long nowMs()
    {
        return nowMs;
    }

    @Override
    public long staleAfterMs()
    {
        return staleAfterMs;
    }

    @Override
    public Probe probe(final int pid, final long startTicks)
    {
        final Long actual = running.get(pid);
        return actual != null && actual == startTicks ? Probe.RUNNING : Probe.GONE;
    }
}
