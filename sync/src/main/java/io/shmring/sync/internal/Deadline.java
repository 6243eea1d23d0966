package io.shmring.sync.internal;

/**
 * Deadlines on {@link System#nanoTime()}, compared by difference so they survive the clock's wrap;
 * timeouts are capped so that adding one to the clock never overflows into the past.
 */
public final class Deadline
{
    /** Longest timeout honoured (about 73 years); larger ones, {@link Long#MAX_VALUE} included, wait this long. */
    public static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    private Deadline()
    {
    }

    /**
     * @param timeoutNanos a timeout; negative counts as 0.
     * @return the deadline that far from now.
     */
    public static long after(final long timeoutNanos)
    {
        return System.nanoTime() + Math.min(Math.max(timeoutNanos, 0), MAX_TIMEOUT_NANOS);
    }

    /**
     * @param deadline a value from {@link #after}.
     * @return nanoseconds left; zero or negative once it has passed.
     */
    public static long remaining(final long deadline)
    {
        return deadline - System.nanoTime();
    }
}
