package io.shmring.sync;

import java.util.concurrent.TimeUnit;

/**
 * A {@link WaitStrategy} for tests that must tell a lost wakeup from a busy machine. It sleeps on the line
 * at once, in slices of {@link #SLICE_NANOS} (seconds, where production uses 20 ms), and watches its own
 * condition: when a slice has expired and the condition is then true, it asks the line's
 * {@link SignalWitness} when the notifier's call for the awaited event returned. If that was less than a
 * slice after the waiter's last check before that sleep, the notifier had published and signalled while
 * the waiter slept, yet the waiter slept on to the end of its slice: a lost wakeup, whatever the cause (no
 * wake call, a wake on the wrong word, a missing fence), and {@link #await} throws {@link AssertionError}.
 * Otherwise the notifier itself was held up, between its publication and its wake, for most of a slice:
 * a busy machine, not a fault; counted in {@link #slowNotifierExpiries()}.
 * <p>
 * Why that is sound: a notifier whose signalling call returns after the waiter's last check either saw
 * the waiter registered and woke it (so the sleep ended early, or never began), or did not see it, and
 * then the waiter's check saw the publication (the Dekker pairs of {@link Eventcount}) and it never slept.
 * That holds for a line with ONE notifier thread; with several, another notifier still on its way to the
 * wake could explain the expiry. One waiter thread per instance; call {@link #expect} before each wait.
 */
public final class LostWakeupJudge implements WaitStrategy
{
    /** Slice of every sleep: a lost wakeup stalls the test this long before it fails it. */
    public static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Deadline of a wait in these tests: generous, so that only a hang reaches it. */
    public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final SignalWitness witness;
    private final WakeCondition observed = this::observe;
    private WakeCondition condition;
    private Eventcount eventcount;
    private long expected;
    private long expiredSeen;
    private long lastFalseCheckNanos;
    private boolean readyAfterExpiry;
    private long slowNotifierExpiries;

    /**
     * @param witness the line's witness: this waiter marks its checks there and reads the notifier's times.
     */
    public LostWakeupJudge(final SignalWitness witness)
    {
        this.witness = witness;
    }

    /**
     * @param event the event the next waits are for: the notifier records it with {@link SignalWitness#signalled}
     *              once the call that made this waiter's condition true has returned.
     */
    public void expect(final long event)
    {
        expected = event;
    }

    @Override
    public boolean await(final WakeCondition ready, final Eventcount eventcount, final long timeoutNanos)
        throws InterruptedException
    {
        this.condition = ready;
        this.eventcount = eventcount;
        expiredSeen = eventcount.expiredWaits();
        readyAfterExpiry = false;
        final boolean result = eventcount.await(observed, timeoutNanos, SLICE_NANOS);
        if (readyAfterExpiry)
        {
            judge();
        }
        return result;
    }

    /**
     * @return slices that expired with the condition true because the notifier was held up; printed by tests.
     */
    public long slowNotifierExpiries()
    {
        return slowNotifierExpiries;
    }

    @Override
    public String toString()
    {
        return "LostWakeupJudge{sliceMs=" + TimeUnit.NANOSECONDS.toMillis(SLICE_NANOS) + ", expected=" + expected +
            ", slowNotifierExpiries=" + slowNotifierExpiries + '}';
    }

    /**
     * The condition as the eventcount sees it: it runs after registering and after every sleep, so an
     * evaluation that follows a rise in the expired count is the first look after an expired slice.
     */
    private boolean observe()
    {
        final long expired = eventcount.expiredWaits();
        final boolean afterExpiry = expired != expiredSeen;
        expiredSeen = expired;
        final boolean ready = condition.isReady();
        if (!ready)
        {
            lastFalseCheckNanos = System.nanoTime(); // before the sleep that may follow: that sleep ends no earlier than this + a slice
            witness.checkedFalse(expected);
        }
        else if (afterExpiry)
        {
            readyAfterExpiry = true;
        }
        return ready;
    }

    private void judge()
    {
        final long signalledAt = witness.awaitSignalledAt(expected, TIMEOUT_NANOS);
        final long afterCheckNanos = signalledAt - lastFalseCheckNanos;
        if (afterCheckNanos < SLICE_NANOS)
        {
            throw new AssertionError(String.format("lost wakeup on event %d: the notifier's call returned %.3f ms after " +
                "the waiter's last check, yet the waiter's sleep ran to the end of its %d ms slice with the condition true: %s",
                expected, afterCheckNanos / 1e6, TimeUnit.NANOSECONDS.toMillis(SLICE_NANOS), eventcount));
        }
        slowNotifierExpiries++;
    }
}
