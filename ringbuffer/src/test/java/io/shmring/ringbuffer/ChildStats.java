package io.shmring.ringbuffer;

import io.shmring.sync.Eventcount;

import java.util.HashMap;
import java.util.Map;

/**
 * Wait/wake counters a child process reports on one stdout line, "STATS key=value ...", for its parent to check.
 */
final class ChildStats
{
    static final String PREFIX = "STATS ";

    private ChildStats()
    {
    }

    /**
     * @param consumerWaits the consumer's eventcount on the line it waited on.
     * @param producer      the producer's wakeups (its wake calls on the other ring).
     * @return the line.
     */
    static String format(final Eventcount consumerWaits, final RingWakeups producer)
    {
        return PREFIX + "waitCalls=" + consumerWaits.waitCalls() + " wokenWaits=" + consumerWaits.wokenWaits() +
            " wakesBeforeSleep=" + consumerWaits.wakesBeforeSleep() +
            " expiredWaits=" + consumerWaits.expiredWaits() + " readyAfterExpiry=" + consumerWaits.readyAfterExpiry() +
            " timeouts=" + consumerWaits.timeouts() + " producerWaitCalls=" + producer.waitCalls() +
            " producerReadyAfterExpiry=" + producer.readyAfterExpiry() + " wakeCalls=" + producer.wakeCalls();
    }

    static Map<String, Long> parse(final String line)
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
