package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.AdaptiveWaitStrategy;
import io.shmring.sync.internal.Deadline;
import io.shmring.sync.CorruptWakeLineException;
import io.shmring.sync.Eventcount;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.DirectBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.internal.RingDescriptor.NOT_EMPTY_WAKE_OFFSET;
import static io.shmring.ringbuffer.internal.RingDescriptor.NOT_FULL_WAKE_OFFSET;

/**
 * The blocking side of one ring end (a producer or the consumer, of any ring kind): eventcounts on the
 * ring's two wake lines, in the mechanism the file records, plus the end's {@link WaitStrategy}.
 * <p>
 * A ring end holds one instance and
 * <ul>
 * <li>producer: calls {@link #signalNotEmpty()} after every publication (and after marking the ring
 *     closed), and implements the timed offer with {@link #offer} and the timed claim with {@link #claim};</li>
 * <li>consumer: calls {@link #signalNotFull()} after every move of the head, and implements
 *     {@code take} with {@link #take}.</li>
 * </ul>
 * A signal costs one read when nobody sleeps (plus a full fence on a layout version 2 ring, or in a process that
 * cannot issue membarrier: {@link Eventcount#mode()}), and makes a wake call only when a waiter is registered. Used by the threads that drive the ring end (one, except for a shared MPSC
 * producer); counters may be read by any.
 */
public final class RingWakeups
{
    private final RingFile file;
    private final Eventcount notEmpty;
    private final Eventcount notFull;
    private final WaitStrategy waitStrategy;
    /** Where this end counts its wake calls in the file, once it holds its role; null before. */
    private EndCounters counters;
    /** True once a thread waited through this end; the file then never unmaps under a waiter (see markWaiting). */
    private boolean waitedOn;

    /** One try of a producer's write, non-blocking: a status or index, {@link Publisher#INSUFFICIENT_CAPACITY} if full. */
    @FunctionalInterface
    private interface WriteAttempt
    {
        int attempt(Publisher publisher, int typeId, DirectBuffer src, int offset, int length);
    }

    /** What {@link #OFFER} returns when the message went in. */
    private static final int OFFERED = 0;
    /** Captures nothing, so no allocation per call. */
    private static final WriteAttempt OFFER = (publisher, typeId, src, offset, length) ->
        publisher.offer(typeId, src, offset, length) ? OFFERED : Publisher.INSUFFICIENT_CAPACITY;
    /** Captures nothing, so no allocation per call. */
    private static final WriteAttempt CLAIM = (publisher, typeId, src, offset, length) -> publisher.tryClaim(typeId, length);

    /**
     * @param file         the ring.
     * @param waitStrategy how this end waits when it blocks; its own instance.
     */
    public RingWakeups(final RingFile file, final WaitStrategy waitStrategy)
    {
        if (waitStrategy == null)
        {
            throw new NullPointerException("waitStrategy");
        }
        this.file = file;
        // a sleeper asks after every sleep whether the file shrank under the mapping before it touches the line again
        // the layout version says what every sleeper does before its last check, so whether notifiers here may skip a fence
        this.notEmpty = Eventcount.create(
            file.wakeMechanism(), file.buffer(), NOT_EMPTY_WAKE_OFFSET, file::mappingLost, file.wakeProtocol());
        this.notFull = Eventcount.create(
            file.wakeMechanism(), file.buffer(), NOT_FULL_WAKE_OFFSET, file::mappingLost, file.wakeProtocol());
        this.waitStrategy = waitStrategy;
    }

    /**
     * @return the wait strategy ring ends use when none is given: {@link AdaptiveWaitStrategy#defaults()}, a new
     *         instance per call (it holds the end's spin budget).
     */
    public static WaitStrategy defaultWaitStrategy()
    {
        return AdaptiveWaitStrategy.defaults();
    }

    /**
     * Bind the native wake calls now, so the first blocking call does not pay for loading them.
     *
     * @throws UnsupportedOperationException if the ring's wake mechanism is unavailable here.
     */
    public void prepare()
    {
        notEmpty.prepare();
        notFull.prepare();
    }

    /**
     * Producer, after a publication is visible (release store of the tail or of a frame length) or after
     * marking the ring closed: wake the consumer if it sleeps.
     */
    public void signalNotEmpty()
    {
        if (notEmpty.signal() && counters != null)
        {
            counters.countWakeCall();
        }
    }

    /**
     * @param ex a wake line of this ring found overwritten.
     * @return the ring's corruption naming the word (its offset in the file) and the file.
     */
    private CorruptRingException corrupt(final CorruptWakeLineException ex)
    {
        final CorruptRingException corrupt = new CorruptRingException(file.path(), "wake line word at offset " + ex.offset(), -1,
            ex.value(), ex.rule());
        corrupt.initCause(ex);
        return corrupt;
    }

    private boolean awaitOn(final WakeCondition condition, final Eventcount line, final long timeoutNanos)
        throws InterruptedException
    {
        try
        {
            return waitStrategy.await(condition, line, timeoutNanos);
        }
        catch (final CorruptWakeLineException ex)
        {
            throw corrupt(ex);
        }
    }

    /**
     * @param counters the end's counters in the file, where its wake calls are counted from now on.
     */
    void countInto(final EndCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Consumer, after moving the head: wake producers sleeping for space.
     */
    public void signalNotFull()
    {
        if (notFull.signal() && counters != null)
        {
            counters.countWakeCall();
        }
    }

    /**
     * The consumer's blocking take: poll; while nothing came and the stream has not ended, wait for
     * {@code readable} by the wait strategy and poll again. The deadline and the interrupt status are checked every
     * round, so a condition that holds while the poll delivers nothing (shared state another process broke) costs
     * at most the timeout, never a hang.
     *
     * @param subscriber the consumer.
     * @param readable   true when a message (or the end of the stream) is there to see.
     * @param handler    receives each message.
     * @param limit      most messages to deliver, {@code >= 1}.
     * @param timeout    how long to wait for the first message.
     * @param unit       unit of {@code timeout}.
     * @return messages delivered; 0 if the timeout passed or the stream ended; a negative status the poll returned.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws CorruptRingException if the poll or the condition finds the ring corrupt.
     * @throws RingGoneException    if the file shrank under its mapping while the end slept (truncated: unsupported).
     */
    public int take(
        final Subscriber subscriber,
        final WakeCondition readable,
        final MessageHandler handler,
        final int limit,
        final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("take needs a positive limit: limit=" + limit);
        }
        final int ready = subscriber.poll(handler, limit);
        if (ready != 0 || subscriber.isEndOfStream()) // a negative status (a broadcast consumer's drop) is returned too
        {
            return ready; // the common case under load reads no clock
        }
        final long timeoutNanos = unit.toNanos(timeout);
        markWaiting();
        if (timeoutNanos > 0 && waitStrategy.spinBriefly(readable))
        {
            final int delivered = subscriber.poll(handler, limit);
            if (delivered != 0 || subscriber.isEndOfStream())
            {
                return delivered; // an active flow: the message came within the strategy's first polls, no clock read
            }
        }
        final long deadline = Deadline.after(timeoutNanos);
        long remaining = timeoutNanos;
        while (true)
        {
            if (!awaitOn(readable, notEmpty, remaining))
            {
                return 0;
            }
            final int delivered = subscriber.poll(handler, limit);
            if (delivered != 0 || subscriber.isEndOfStream())
            {
                return delivered;
            }
            checkInterrupted("take");
            remaining = Deadline.remaining(deadline);
            if (remaining <= 0)
            {
                return 0;
            }
        }
    }

    /**
     * A producer's timed offer: offer; while the ring is full, wait for {@code writable} by the wait
     * strategy and offer again. The deadline and the interrupt status are checked every round, as in {@link #take}.
     *
     * @param publisher the producer; its plain offer validates the message.
     * @param writable  true when the ring has space for this message.
     * @param typeId    application type id.
     * @param src       payload buffer.
     * @param offset    payload start in {@code src}.
     * @param length    payload bytes.
     * @param timeout   how long to wait for space.
     * @param unit      unit of {@code timeout}.
     * @return true if sent, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws CorruptRingException if the offer or the condition finds the ring corrupt.
     * @throws RingGoneException    if the file shrank under its mapping while the end slept (truncated: unsupported).
     */
    public boolean offer(
        final Publisher publisher,
        final WakeCondition writable,
        final int typeId,
        final DirectBuffer src,
        final int offset,
        final int length,
        final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        return untilWritten(OFFER, publisher, writable, typeId, src, offset, length, timeout, unit) == OFFERED;
    }

    /**
     * A producer's timed zero-copy claim: claim; while the ring is full, wait for {@code writable} by the wait strategy
     * (asleep on the not-full line, as the timed offer) and claim again, checking the deadline and the interrupt
     * status every round.
     *
     * @param publisher the producer; its plain claim validates the message.
     * @param writable  true when the ring has space for this message.
     * @param typeId    application type id.
     * @param length    payload bytes.
     * @param timeout   how long to wait for space.
     * @param unit      unit of {@code timeout}.
     * @return what the last {@link Publisher#tryClaim(int, int)} returned: an index, {@link
     *         Publisher#INSUFFICIENT_CAPACITY} if the timeout passed first, or {@link Publisher#DESTINATION_GONE}.
     * @throws InterruptedException if the thread is interrupted while waiting (no claim is open then).
     * @throws CorruptRingException if the claim or the condition finds the ring corrupt.
     * @throws RingGoneException    if the file shrank under its mapping while the end slept (truncated: unsupported).
     */
    public int claim(
        final Publisher publisher,
        final WakeCondition writable,
        final int typeId,
        final int length,
        final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        return untilWritten(CLAIM, publisher, writable, typeId, null, 0, length, timeout, unit);
    }

    /**
     * The timed offer's and the timed claim's loop: try; while the ring is full, wait for {@code writable} on the
     * not-full line and try again, until the deadline.
     */
    private int untilWritten(
        final WriteAttempt write,
        final Publisher publisher,
        final WakeCondition writable,
        final int typeId,
        final DirectBuffer src,
        final int offset,
        final int length,
        final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.requireNonNull(unit, "unit"); // before the first attempt, which may not need it
        int result = write.attempt(publisher, typeId, src, offset, length);
        if (result != Publisher.INSUFFICIENT_CAPACITY)
        {
            return result; // space now: no clock read
        }
        final long timeoutNanos = unit.toNanos(timeout);
        markWaiting();
        if (timeoutNanos > 0 && waitStrategy.spinBriefly(writable))
        {
            result = write.attempt(publisher, typeId, src, offset, length);
            if (result != Publisher.INSUFFICIENT_CAPACITY)
            {
                return result; // space came within the strategy's first polls: no clock read
            }
        }
        final long deadline = Deadline.after(timeoutNanos);
        while ((result = write.attempt(publisher, typeId, src, offset, length)) == Publisher.INSUFFICIENT_CAPACITY)
        {
            checkInterrupted(write == OFFER ? "offer" : "tryClaim");
            final long remaining = Deadline.remaining(deadline);
            if (remaining <= 0 || !awaitOn(writable, notFull, remaining))
            {
                return Publisher.INSUFFICIENT_CAPACITY;
            }
        }
        return result;
    }

    /**
     * Before this end's first wait: from now on its file is never unmapped at once, since another thread may close the
     * end and the file while this one waits (docs: RingFile's class comment). A plain field read per wait afterwards.
     */
    private void markWaiting()
    {
        if (!waitedOn)
        {
            file.markWaitedOn(); // under the file's lock, so a close on another thread after this sees it
            waitedOn = true;
        }
    }

    /**
     * A wait strategy returns at once while its condition holds; a round whose poll or offer still did nothing must
     * not skip the interrupt check.
     */
    private static void checkInterrupted(final String call) throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException(call + " interrupted");
        }
    }

    /**
     * @return this end's eventcount on the not-empty line (the consumer waits on it, producers signal it).
     */
    public Eventcount notEmpty()
    {
        return notEmpty;
    }

    /**
     * @return this end's eventcount on the not-full line (producers wait on it, the consumer signals it).
     */
    public Eventcount notFull()
    {
        return notFull;
    }

    /**
     * @return the strategy this end waits with.
     */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * @return native sleep calls this end made, on both lines.
     */
    public long waitCalls()
    {
        return notEmpty.waitCalls() + notFull.waitCalls();
    }

    /**
     * @return native wake calls this end made, on both lines.
     */
    public long wakeCalls()
    {
        return notEmpty.wakeCalls() + notFull.wakeCalls();
    }

    /**
     * @return sleeps of this end that expired while the condition held and no notifier had signalled:
     * lost wakeups. Zero when the protocol works.
     */
    public long readyAfterExpiry()
    {
        return notEmpty.readyAfterExpiry() + notFull.readyAfterExpiry();
    }

    @Override
    public String toString()
    {
        return "RingWakeups{waitStrategy=" + waitStrategy + ", notEmpty=" + notEmpty + ", notFull=" + notFull + '}';
    }
}
