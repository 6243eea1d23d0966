package io.shmring.core.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * A process named by pid and start time, so that a recycled pid is not mistaken for the process
 * that wrote it somewhere (the aeron module names its media driver directories so). Start times are epoch
 * milliseconds; 0 means unknown. Only meaningful within one pid namespace. Ring files judge their parties by
 * the richer rules of docs/LAYOUT.md section 6 (io.shmring.ringbuffer.liveness), not by this class.
 */
public final class ProcessIdentity
{
    /** Start times of one process read at different moments can differ by rounding: allow this much. */
    public static final long START_TIME_TOLERANCE_MS = 1_000;

    private static final long CURRENT_PID = ProcessHandle.current().pid();
    private static final long CURRENT_START_TIME_MS = startTimeMs(ProcessHandle.current());

    private ProcessIdentity()
    {
    }

    /**
     * @return pid of this JVM.
     */
    public static long currentPid()
    {
        return CURRENT_PID;
    }

    /**
     * @return start time of this JVM in epoch ms, or 0 if the OS does not say.
     */
    public static long currentStartTimeMs()
    {
        return CURRENT_START_TIME_MS;
    }

    /**
     * Is the process that recorded (pid, start time) still running? Costs a read of /proc: not for hot paths.
     *
     * @param pid         recorded pid; 0 or less is never alive.
     * @param startTimeMs recorded start time, or 0 to match any process with that pid.
     * @return true if a process with that pid runs and its start time matches.
     */
    public static boolean isAlive(final long pid, final long startTimeMs)
    {
        if (pid <= 0)
        {
            return false;
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return false;
        }
        if (startTimeMs == 0)
        {
            return true;
        }
        final long actualStart = startTimeMs(handle.get());
        return actualStart == 0 || Math.abs(actualStart - startTimeMs) <= START_TIME_TOLERANCE_MS;
    }

    private static long startTimeMs(final ProcessHandle handle)
    {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
