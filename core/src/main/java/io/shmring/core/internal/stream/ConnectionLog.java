package io.shmring.core.internal.stream;

/**
 * The warnings a socket subscriber logs about single connections (dropped, refused, closed before their hello), rate
 * limited: anyone who can reach the socket can open connections by the thousand, and one line each would bury
 * everything else. In each interval the first {@code burst} lines are logged; the rest are only counted, and one
 * summary line says how many were left out once the interval is over (at the next line, the next {@link #flushIfDue},
 * or {@link #flush}). Thread-safe (the accepting and the polling thread both log); every method but
 * {@link #hasSuppressed()} takes a lock, so call them only for the rare event they log.
 */
final class ConnectionLog
{
    /** Lines logged in an interval before the rest are only counted. */
    static final int DEFAULT_BURST = 10;
    /** The interval, ns. */
    static final long DEFAULT_INTERVAL_NS = 10_000_000_000L;

    private final System.Logger logger;
    private final String name;
    private final int burst;
    private final long intervalNs;
    private long intervalStartNs;
    private int logged;
    /** Lines left out in the current interval; volatile so a poll can look without the lock. */
    private volatile long suppressed;

    /**
     * @param logger     where the lines go.
     * @param name       the endpoint, which every line starts with.
     * @param burst      lines logged in an interval, {@code >= 1}.
     * @param intervalNs the interval, ns, {@code > 0}.
     */
    ConnectionLog(final System.Logger logger, final String name, final int burst, final long intervalNs)
    {
        if (burst < 1 || intervalNs <= 0)
        {
            throw new IllegalArgumentException("need burst >= 1 and intervalNs > 0: burst=" + burst + " intervalNs=" + intervalNs);
        }
        this.logger = logger;
        this.name = name;
        this.burst = burst;
        this.intervalNs = intervalNs;
        this.intervalStartNs = System.nanoTime();
    }

    /**
     * Log a warning about one connection, or count it if this interval's burst is spent. Never throws: a failure to log
     * (a class that cannot be loaded when no descriptor is free) is dropped, as the caller must go on.
     *
     * @param format a {@link java.text.MessageFormat} pattern; {0} is the endpoint's name.
     * @param params the pattern's other parameters, from {1} on.
     */
    synchronized void warn(final String format, final Object... params)
    {
        final long now = System.nanoTime();
        endIntervalIfOver(now);
        if (logged >= burst)
        {
            suppressed++;
            return;
        }
        logged++;
        final Object[] all = new Object[params.length + 1];
        all[0] = name;
        System.arraycopy(params, 0, all, 1, params.length);
        logSafely(format, all);
    }

    /**
     * @return true if lines were left out of the current interval (one volatile read).
     */
    boolean hasSuppressed()
    {
        return suppressed != 0;
    }

    /**
     * @return ns until the current interval is over, when its summary is due; only meaningful while
     *         {@link #hasSuppressed()}.
     */
    synchronized long nanosUntilDue()
    {
        return Math.max(0, intervalStartNs + intervalNs - System.nanoTime());
    }

    /**
     * Log the summary of the interval if it is over and left lines out.
     */
    synchronized void flushIfDue()
    {
        endIntervalIfOver(System.nanoTime());
    }

    /**
     * Log the summary of what was left out so far, whether the interval is over or not (at close).
     */
    synchronized void flush()
    {
        summarize(System.nanoTime());
    }

    private void endIntervalIfOver(final long now)
    {
        if (now - intervalStartNs >= intervalNs)
        {
            summarize(now);
        }
    }

    private void summarize(final long now)
    {
        if (suppressed != 0)
        {
            logSafely("{0}: {1} more connections were dropped or refused in the last {2} s without a line each " +
                "(at most {3} lines every {4} s)", name, suppressed, (now - intervalStartNs) / 1_000_000_000L, burst,
                intervalNs / 1_000_000_000L);
        }
        suppressed = 0;
        logged = 0;
        intervalStartNs = now;
    }

    private void logSafely(final String format, final Object... params)
    {
        try
        {
            logger.log(System.Logger.Level.WARNING, format, params);
        }
        catch (final VirtualMachineError ex)
        {
            throw ex;
        }
        catch (final RuntimeException | Error ignore)
        {
            // e.g. a class that could not be loaded for want of a descriptor: nothing else to tell it with
        }
    }
}
