package io.shmring.examples.bridge;

import io.shmring.aeron.AeronPublisher;
import io.shmring.aeron.AeronSubscriber;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.FrameStreamException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Forwards every frame from a {@link Subscriber} to a {@link Publisher}, type id and payload unchanged, in
 * order, on the calling thread.
 * <p>
 * <b>Back-pressure waits, never drops.</b> Frames are read with a controlled poll; one the destination has
 * no room for is left in the source (the handler aborts) and read again once the destination takes it,
 * waiting with a back-off (spin, yield, park up to 1 ms) meanwhile. When the source is empty the bridge
 * sleeps in the source's own {@code take} (futex, socket, Aeron idle strategy); the frame that wakes it is
 * copied out and offered from the copy.
 * <p>
 * <b>Stop.</b> {@link #run} returns at the source's end of stream (unless {@link Settings#follow}), when the
 * stop flag is set, or on a failure. A stop leaves unread frames in the source; a frame already copied out
 * is offered for up to {@link Settings#stopTimeoutNs} more, and if the destination still has no room the
 * summary says it was dropped. {@link Outcome#FAILED} comes from a frame longer than the destination
 * takes (it and those after it are not forwarded). A message that is not a frame (the source throws
 * {@link FrameStreamException}) is reported, counted and skipped.
 * <p>
 * <b>Counts</b> go to the report every {@link Settings#intervalNs}: frames, bytes, rates, time the
 * destination was full, Aeron sessions that joined late or went away without their end of stream, and with
 * {@link Settings#sequenceOffset} a {@link SequenceCheck}. Not thread-safe: one thread runs it.
 */
public final class Bridge
{
    /**
     * How a run ended.
     */
    public enum Outcome
    {
        /** The source's publishers closed and every frame was forwarded; the destination is flushed. */
        END_OF_STREAM,
        /** The stop flag was set. */
        STOPPED,
        /** A frame could not be forwarded ({@link #failure()} says why). */
        FAILED
    }

    /**
     * @param batch          most frames per poll of the source (a source ring releases them together).
     * @param intervalNs     between report lines; 0 for none (the final summary still comes).
     * @param follow         keep forwarding after the source's end of stream (a new publisher may come).
     * @param sequenceOffset offset of an int64 LE sequence in every payload to check, or -1 for none.
     * @param stopTimeoutNs  how long a stop keeps offering a frame already copied out of the source.
     */
    public record Settings(int batch, long intervalNs, boolean follow, int sequenceOffset, long stopTimeoutNs)
    {
        /**
         * @throws IllegalArgumentException naming a value out of range.
         */
        public Settings
        {
            if (batch < 1)
            {
                throw new IllegalArgumentException("batch must be at least 1: batch=" + batch);
            }
            if (intervalNs < 0 || stopTimeoutNs < 0)
            {
                throw new IllegalArgumentException("interval and stop timeout must not be negative: intervalNs=" +
                    intervalNs + " stopTimeoutNs=" + stopTimeoutNs);
            }
            if (sequenceOffset < -1)
            {
                throw new IllegalArgumentException("sequence offset must be >= 0 (or -1 for none): sequenceOffset=" +
                    sequenceOffset);
            }
        }
    }

    private static final long IDLE_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Subscriber source;
    private final Publisher destination;
    private final Settings settings;
    private final Consumer<String> report;
    private final SequenceCheck sequence;
    private final AeronSubscriber aeronSource;
    private final AeronPublisher aeronDestination;
    private final IdleStrategy destinationWait = new BackoffIdleStrategy(64, 16, 1_000, 1_000_000);
    private final ControlledMessageHandler forward = this::forward;
    private final MessageHandler hold = this::hold;
    private final Consumer<String> event;

    private final ExpandableDirectByteBuffer held = new ExpandableDirectByteBuffer(4096);
    private boolean holding;
    private int heldTypeId;
    private int heldLength;

    private boolean blocked;
    private String failure;
    private long frames;
    private long bytes;
    private long badFrames;
    private long droppedAtStop;
    private long fullSinceNs;
    private long fullNs;
    private long fullEpisodes;
    private long startNs;
    private long lastReportNs;
    private long lastReportFrames;
    private long lastReportBytes;

    /**
     * @param source      where frames come from.
     * @param destination where they go.
     * @param settings    how.
     * @param report      receives report lines (each starts with {@code bridge: }).
     */
    public Bridge(final Subscriber source, final Publisher destination, final Settings settings, final Consumer<String> report)
    {
        this.source = source;
        this.destination = destination;
        this.settings = settings;
        this.report = report;
        this.event = (line) -> report.accept("bridge: " + line);
        this.sequence = settings.sequenceOffset() < 0 ? null : new SequenceCheck(settings.sequenceOffset(), event);
        this.aeronSource = source instanceof AeronSubscriber ? (AeronSubscriber)source : null;
        this.aeronDestination = destination instanceof AeronPublisher ? (AeronPublisher)destination : null;
    }

    /**
     * Forward until the end of the stream, a stop or a failure.
     *
     * @param stopRequested polled between batches and while waiting (at least every 100 ms).
     * @return how it ended; the destination is flushed, neither end is closed.
     * @throws InterruptedException if the thread is interrupted.
     */
    public Outcome run(final BooleanSupplier stopRequested) throws InterruptedException
    {
        startNs = System.nanoTime();
        lastReportNs = startNs;
        Outcome outcome = null;
        while (outcome == null)
        {
            if (stopRequested.getAsBoolean())
            {
                outcome = Outcome.STOPPED;
            }
            else if (holding && !offerHeld())
            {
                awaitDestination();
            }
            else if (!holding)
            {
                outcome = forwardOrIdle();
            }
            tick();
        }
        if (holding && outcome != Outcome.FAILED)
        {
            offerHeldUntil(System.nanoTime() + settings.stopTimeoutNs());
        }
        destination.flush();
        report.accept(summary(outcome));
        return outcome;
    }

    private Outcome forwardOrIdle() throws InterruptedException
    {
        final int forwarded;
        try
        {
            forwarded = source.controlledPoll(forward, settings.batch());
        }
        catch (final FrameStreamException ex)
        {
            badFrames++;
            event.accept("skipped what is not a frame: " + ex.getMessage());
            return null;
        }
        if (failure != null)
        {
            return Outcome.FAILED;
        }
        if (blocked)
        {
            blocked = false;
            awaitDestination();
            return null;
        }
        if (forwarded > 0)
        {
            return null;
        }
        destination.flush();
        if (!settings.follow() && source.isEndOfStream())
        {
            return Outcome.END_OF_STREAM;
        }
        final long untilReport = settings.intervalNs() == 0 ? IDLE_SLICE_NS :
            Math.max(1, lastReportNs + settings.intervalNs() - System.nanoTime());
        try
        {
            source.take(hold, 1, Math.min(IDLE_SLICE_NS, untilReport), TimeUnit.NANOSECONDS);
        }
        catch (final FrameStreamException ex)
        {
            badFrames++;
            event.accept("skipped what is not a frame: " + ex.getMessage());
        }
        return failure != null ? Outcome.FAILED : null;
    }

    private ControlledMessageHandler.Action forward(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!fits(typeId, length))
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        if (!destination.offer(typeId, buffer, offset, length))
        {
            blocked = true;
            return ControlledMessageHandler.Action.ABORT;
        }
        forwarded(buffer, offset, length);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private void hold(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!fits(typeId, length))
        {
            return; // taken from the source already: the failure says the frame was not forwarded
        }
        held.putBytes(0, buffer, offset, length);
        heldTypeId = typeId;
        heldLength = length;
        holding = true;
        if (sequence != null)
        {
            sequence.onFrame(held, 0, length);
        }
        offerHeld(); // if the destination is full it stays held, offered again before anything else is read
    }

    private boolean fits(final int typeId, final int length)
    {
        if (length <= destination.maxMessageLength())
        {
            return true;
        }
        failure = "a frame of " + length + " bytes (type " + typeId + ") is longer than the destination takes " +
            "(maxMessageLength=" + destination.maxMessageLength() + "): it and the frames after it were not forwarded";
        return false;
    }

    private boolean offerHeld()
    {
        if (!destination.offer(heldTypeId, held, 0, heldLength))
        {
            return false;
        }
        holding = false;
        frames++;
        bytes += heldLength;
        destinationTookFrame();
        return true;
    }

    private void offerHeldUntil(final long deadlineNs) throws InterruptedException
    {
        final long remaining = deadlineNs - System.nanoTime();
        if (remaining > 0 && destination.offer(heldTypeId, held, 0, heldLength, remaining, TimeUnit.NANOSECONDS))
        {
            holding = false;
            frames++;
            bytes += heldLength;
            return;
        }
        holding = false;
        droppedAtStop++;
        event.accept("stopped holding a frame of " + heldLength + " bytes (type " + heldTypeId + ") the destination " +
            "had no room for within the stop timeout: it was dropped");
    }

    private void forwarded(final DirectBuffer buffer, final int offset, final int length)
    {
        frames++;
        bytes += length;
        if (sequence != null)
        {
            sequence.onFrame(buffer, offset, length);
        }
        destinationTookFrame();
    }

    private void destinationTookFrame()
    {
        if (fullSinceNs != 0)
        {
            fullNs += System.nanoTime() - fullSinceNs;
            fullSinceNs = 0;
            destinationWait.reset();
        }
    }

    private void awaitDestination()
    {
        if (fullSinceNs == 0)
        {
            fullSinceNs = System.nanoTime();
            fullEpisodes++;
        }
        destinationWait.idle();
    }

    private void tick()
    {
        if (aeronSource != null)
        {
            aeronSource.drainEvents(event);
        }
        if (settings.intervalNs() == 0)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - lastReportNs >= settings.intervalNs())
        {
            report.accept(progress(now));
            lastReportNs = now;
            lastReportFrames = frames;
            lastReportBytes = bytes;
        }
    }

    private String progress(final long now)
    {
        final double seconds = (now - lastReportNs) / 1e9;
        return String.format(Locale.ROOT, "bridge: %.1f s: %d frames %s | last %.1f s: %.0f frames/s %s/s%s",
            (now - startNs) / 1e9, frames, megabytes(bytes), seconds, (frames - lastReportFrames) / seconds,
            megabytes((long)((bytes - lastReportBytes) / seconds)), details(now));
    }

    private String summary(final Outcome outcome)
    {
        final long now = System.nanoTime();
        final double seconds = Math.max(1e-9, (now - startNs) / 1e9);
        final String how = outcome == Outcome.END_OF_STREAM ? "end of stream" : outcome == Outcome.STOPPED ? "stopped" :
            "failed: " + failure;
        return String.format(Locale.ROOT, "bridge: %s after %.1f s: %d frames %s, %.0f frames/s %s/s%s%s",
            how, seconds, frames, megabytes(bytes), frames / seconds, megabytes((long)(bytes / seconds)), details(now),
            droppedAtStop > 0 ? " | dropped at stop " + droppedAtStop : "");
    }

    private String details(final long now)
    {
        final StringBuilder details = new StringBuilder();
        final long full = fullNs + (fullSinceNs != 0 ? now - fullSinceNs : 0);
        if (fullEpisodes > 0)
        {
            details.append(String.format(Locale.ROOT, " | destination full %d times, %.2f s", fullEpisodes, full / 1e9));
        }
        if (aeronDestination != null && !aeronDestination.isConnected())
        {
            details.append(" | destination not connected");
        }
        if (aeronSource != null)
        {
            details.append(" | sessions joined ").append(aeronSource.imagesJoined())
                .append(", late ").append(aeronSource.lateJoins())
                .append(", lost ").append(aeronSource.imagesLost());
        }
        if (badFrames > 0)
        {
            details.append(" | not frames ").append(badFrames);
        }
        if (sequence != null)
        {
            details.append(" | ").append(sequence.summary());
        }
        return details.toString();
    }

    private static String megabytes(final long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /**
     * @return frames forwarded so far.
     */
    public long frames()
    {
        return frames;
    }

    /**
     * @return payload bytes forwarded so far.
     */
    public long bytes()
    {
        return bytes;
    }

    /**
     * @return the sequence check, or null without {@link Settings#sequenceOffset}.
     */
    public SequenceCheck sequence()
    {
        return sequence;
    }

    /**
     * @return why the run failed, or null.
     */
    public String failure()
    {
        return failure;
    }
}
