package io.shmring.aeron;

import io.aeron.Image;
import io.aeron.Subscription;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows the images (one per publisher session) of a subscription: how many joined, ended at their end of
 * stream, or went away without it (publisher killed, host unreachable), and whether one joined a stream
 * already under way. Aeron calls {@link #onAvailable} and {@link #onUnavailable} on its client thread;
 * the subscriber's thread reads. Image events also become lines for {@link #drainEvents}, at most
 * {@link #MAX_EVENTS} kept.
 */
final class ImageTracker
{
    /** Event lines kept until drained; older ones are dropped (and counted in the next line). */
    static final int MAX_EVENTS = 256;

    private static final int CLEAN_BIT = 1;

    private final String name;
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lateJoins = new AtomicLong();
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppedEvents = new AtomicLong();

    /**
     * Images that joined and have not gone, times 2, plus {@link #CLEAN_BIT} if the newest image to go ended cleanly
     * (an older session that vanished after a newer one closed does not reopen the stream).
     */
    private volatile int state;
    private long newestImage = Long.MIN_VALUE; // Aeron's client thread only

    private boolean allAtEnd;
    private int imagesSeen;
    /** {@link #joined} when the subscriber's thread last saw every image at its end of stream, or -1. */
    private long endSeenAtJoined = -1;
    private final Consumer<Image> checkEnd = this::checkEnd;

    /**
     * @param name the URI, for event lines.
     */
    ImageTracker(final String name)
    {
        this.name = name;
    }

    /**
     * @param image a publisher's session that joined (Aeron's client thread).
     */
    void onAvailable(final Image image)
    {
        joined.incrementAndGet();
        newestImage = image.correlationId();
        state = state + 2; // one writer: Aeron's client thread; the volatile write publishes the count
        if (image.joinPosition() > 0)
        {
            lateJoins.incrementAndGet();
            event("joined session " + image.sessionId() + " from " + image.sourceIdentity() + " at position " +
                image.joinPosition() + ": its frames before that position were not received here");
        }
        else
        {
            event("joined session " + image.sessionId() + " from " + image.sourceIdentity());
        }
    }

    /**
     * @param image a publisher's session that went away (Aeron's client thread).
     */
    void onUnavailable(final Image image)
    {
        final boolean clean = image.isEndOfStream();
        if (clean)
        {
            ended.incrementAndGet();
            event("session " + image.sessionId() + " ended at position " + image.position());
        }
        else
        {
            lost.incrementAndGet();
            event("session " + image.sessionId() + " from " + image.sourceIdentity() + " went away without its end of " +
                "stream at position " + image.position() + " (publisher gone or unreachable): what it sent after that is lost");
        }
        final int previous = state;
        final boolean newestClean = image.correlationId() == newestImage ? clean : (previous & CLEAN_BIT) != 0;
        state = Math.max(0, (previous >> 1) - 1) * 2 + (newestClean ? CLEAN_BIT : 0); // one writer, as above
    }

    /**
     * Called on the subscriber's thread.
     *
     * @param subscription the subscription tracked.
     * @return true if at least one publisher connected and every one has ended, the newest with its end of stream
     * (one that vanished without it may be replaced: the stream goes on).
     */
    boolean isEndOfStream(final Subscription subscription)
    {
        final int seen = state;
        final long joinedBefore = joined.get();
        allAtEnd = true;
        imagesSeen = 0;
        subscription.forEachImage(checkEnd);
        if (imagesSeen > 0)
        {
            endSeenAtJoined = allAtEnd ? joinedBefore : -1;
            return allAtEnd;
        }
        if ((seen >> 1) == 0)
        {
            // no image left, every removal reported: the newest one's way of going decides
            return (seen & CLEAN_BIT) != 0;
        }
        // images removed but not yet reported by Aeron's client thread (late on a busy machine): if every image was
        // at its end when last seen and none joined since, they went at their end, so the stream stays ended
        return endSeenAtJoined >= 0 && endSeenAtJoined == joined.get();
    }

    private void checkEnd(final Image image)
    {
        imagesSeen++;
        allAtEnd &= image.isEndOfStream();
    }

    /**
     * @param consumer receives each image event line since the last call, oldest first.
     */
    void drainEvents(final Consumer<String> consumer)
    {
        final long dropped = droppedEvents.get() == 0 ? 0 : droppedEvents.getAndSet(0);
        if (dropped > 0)
        {
            consumer.accept(name + ": " + dropped + " older image events dropped (not drained)");
        }
        String line;
        while ((line = events.poll()) != null)
        {
            consumer.accept(line);
        }
    }

    long joined()
    {
        return joined.get();
    }

    long ended()
    {
        return ended.get();
    }

    long lost()
    {
        return lost.get();
    }

    long lateJoins()
    {
        return lateJoins.get();
    }

    private void event(final String line)
    {
        events.add(name + ": " + line);
        while (events.size() > MAX_EVENTS && events.poll() != null)
        {
            droppedEvents.incrementAndGet();
        }
    }
}
