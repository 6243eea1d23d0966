package io.shmring.sync;

import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

/**
 * What the notifier and the waiter of one wake line tell each other in (shared) memory, so a test can
 * tell a lost wakeup from a slow process and can start a wait it knows is asleep. Times are
 * {@link System#nanoTime()}, which on Linux is CLOCK_MONOTONIC and so comparable between processes of
 * one machine. Events are positive, increasing numbers the test chooses (a round, a message count, a
 * ring position); 0 means none yet.
 * <pre>
 *   0  signalled event   (int64) the last event whose signalling call had returned
 *   8  signalled at      (int64) nanoTime when it returned, written before the event
 *  16  checked-false     (int64) the last event the waiter found its condition false for, registered
 * </pre>
 * One notifier thread and one waiter thread per witness.
 */
public final class SignalWitness
{
    /** Bytes of a witness; keep it 8-aligned. */
    public static final int LENGTH = 64;

    private static final int SIGNALLED_EVENT_OFFSET = 0;
    private static final int SIGNALLED_AT_OFFSET = 8;
    private static final int CHECKED_FALSE_OFFSET = 16;

    private final AtomicBuffer buffer;
    private final int offset;

    /**
     * @param buffer memory both sides map, zeroed where the witness lives before either side uses it.
     * @param offset start of the witness's {@link #LENGTH} bytes.
     */
    public SignalWitness(final AtomicBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, LENGTH);
        this.buffer = buffer;
        this.offset = offset;
    }

    /**
     * Notifier: the call that published {@code event} and signalled the line has returned.
     */
    public void signalled(final long event)
    {
        buffer.putLongVolatile(offset + SIGNALLED_AT_OFFSET, System.nanoTime()); // volatile: before the event below
        buffer.putLongRelease(offset + SIGNALLED_EVENT_OFFSET, event); // release: a reader of the event sees a time at least this late
    }

    /**
     * Waiter: registered on the line, it found its condition for {@code event} false, so it is about to sleep.
     */
    public void checkedFalse(final long event)
    {
        buffer.putLongRelease(offset + CHECKED_FALSE_OFFSET, event); // release: read by the notifier's handshake
    }

    /**
     * Notifier: wait until the waiter has registered and found its condition for {@code event} false. A
     * waiter that sleeps in slices longer than this test's deadlines can then leave its sleep only through
     * the notifier's signal, so the wake path is exercised for certain.
     *
     * @throws AssertionError if that does not happen within {@code timeoutNanos}.
     */
    public void awaitCheckedFalse(final long event, final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (buffer.getLongAcquire(offset + CHECKED_FALSE_OFFSET) < event) // acquire: pairs with checkedFalse
        {
            checkDeadline(deadline, timeoutNanos, "the waiter never registered and checked for event " + event);
            Thread.yield();
        }
    }

    /**
     * Waiter: when did the signalling call for {@code event} (or a later one) return? Waits for it to be
     * recorded; a conservative answer, since a later event's time is no earlier.
     *
     * @return the nanoTime recorded with the event.
     * @throws AssertionError if it is not recorded within {@code timeoutNanos}.
     */
    public long awaitSignalledAt(final long event, final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (buffer.getLongAcquire(offset + SIGNALLED_EVENT_OFFSET) < event) // acquire: the time was written before
        {
            checkDeadline(deadline, timeoutNanos, "the notifier never returned from signalling event " + event);
            Thread.yield();
        }
        return buffer.getLongVolatile(offset + SIGNALLED_AT_OFFSET); // volatile: the time of this event or a later one
    }

    private static void checkDeadline(final long deadline, final long timeoutNanos, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new AssertionError(what + " within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
        }
    }
}
