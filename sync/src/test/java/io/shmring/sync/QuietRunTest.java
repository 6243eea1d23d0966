package io.shmring.sync;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a sleeping end counts as idle: waits that timed out back to back (each beginning within a slice of the last
 * timeout) for at least a second; a wait that ends ready, or a gap longer than a slice, starts over. Times are given,
 * not read, so nothing here depends on scheduling.
 */
class QuietRunTest
{
    private static final long SLICE = 20_000_000L;
    private static final long IDLE_SLICE = 100_000_000L;
    private static final long T0 = 1_000_000_000_000L;

    private final QuietRun run = new QuietRun(SLICE, IDLE_SLICE);

    /** Waits of {@code waitNanos} each, back to back from {@code start}, every one timing out; returns the last end. */
    private long timeOutBackToBack(final long start, final long waitNanos, final int waits)
    {
        long now = start;
        for (int i = 0; i < waits; i++)
        {
            run.timedOut(now, now + waitNanos);
            now += waitNanos + 1_000; // the next wait begins a microsecond after the timeout
        }
        return now;
    }

    @Test
    void shouldSleepInSlicesBeforeAnyWaitTimedOut()
    {
        assertFalse(run.continues(T0));
        assertEquals(SLICE, run.sliceFor(T0));
    }

    @Test
    void shouldSleepInIdleSlicesOnceWaitsTimedOutBackToBackForASecond()
    {
        final long afterNineWaits = timeOutBackToBack(T0, 100_000_000L, 9);
        assertTrue(run.continues(afterNineWaits));
        assertEquals(SLICE, run.sliceFor(afterNineWaits), "0.9 s of timeouts is not yet idle");

        final long afterTenWaits = timeOutBackToBack(afterNineWaits, 100_000_000L, 1);
        assertEquals(IDLE_SLICE, run.sliceFor(afterTenWaits), "1 s of back-to-back timeouts is idle");
    }

    @Test
    void shouldEndTheIdleRunWhenAWaitEndsWithItsConditionTrue()
    {
        final long idle = timeOutBackToBack(T0, 100_000_000L, 20);
        assertEquals(IDLE_SLICE, run.sliceFor(idle));

        run.ended();

        assertFalse(run.continues(idle));
        assertEquals(SLICE, run.sliceFor(idle));
        final long next = timeOutBackToBack(idle, 100_000_000L, 1);
        assertEquals(SLICE, run.sliceFor(next), "a new run counts its second from its own first sleep");
    }

    @Test
    void shouldStartANewRunWhenAWaitBeginsMoreThanASliceAfterTheLastTimeout()
    {
        final long idle = timeOutBackToBack(T0, 100_000_000L, 20);
        final long late = idle + SLICE + 1;

        assertFalse(run.continues(late), "the end did something else between its waits");
        assertEquals(SLICE, run.sliceFor(late));
        run.timedOut(late, late + 100_000_000L);
        assertEquals(SLICE, run.sliceFor(late + 100_001_000L), "the new run is 0.1 s old");
    }

    @Test
    void shouldRejectAnIdleSliceShorterThanTheSlice()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new QuietRun(SLICE, SLICE - 1));
        assertTrue(ex.getMessage().contains("idleSliceNanos=" + (SLICE - 1)), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuietRun(0, IDLE_SLICE));
    }
}
