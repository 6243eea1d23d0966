package io.shmring.sync;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters a child process reports on one stdout line, "STATS key=value ...", for its parent to check.
 */
public final class WaitStats
{
    public static final String PREFIX = "STATS ";

    private WaitStats()
    {
    }

    /**
     * @param waiter   the eventcount the process waited on.
     * @param notifier the eventcount the process signalled.
     * @return the line.
     */
    public static String format(final Eventcount waiter, final Eventcount notifier)
    {
        return PREFIX + "waitCalls=" + waiter.waitCalls() + " wokenWaits=" + waiter.wokenWaits() +
            " expiredWaits=" + waiter.expiredWaits() + " readyAfterExpiry=" + waiter.readyAfterExpiry() +
            " timeouts=" + waiter.timeouts() + " wakeCalls=" + notifier.wakeCalls();
    }

    /**
     * @param line a line from {@link #format}.
     * @return its counters by name.
     */
    public static Map<String, Long> parse(final String line)
    {
        if (line == null || !line.startsWith(PREFIX))
        {
            throw new IllegalArgumentException("not a stats line: line=" + line);
        }
        final Map<String, Long> stats = new HashMap<>();
        for (final String pair : line.substring(PREFIX.length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return stats;
    }
}
