package io.shmring.aeron;

import io.shmring.core.ClosedException;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.status.ChannelEndpointStatus;
import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.core.FrameStreamException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A {@link Subscriber} over an Aeron subscription: each Aeron message is one shmring frame (8-byte header,
 * then the payload), reassembled if Aeron fragmented it.
 * <p>
 * <b>Several publishers.</b> Each publisher is one Aeron session (an image here); its frames keep their
 * order. A poll reads the longest-connected image first, then the next, up to the limit, so a
 * publisher that replaced a dead one is delivered only after whatever its predecessor left.
 * <p>
 * <b>End of stream</b> ({@link #isEndOfStream()}): at least one publisher connected, every image is at
 * its end, and the newest publisher sent its end of stream (closed). A publisher that vanished without closing
 * (killed, unreachable) does not end the stream; {@link #imagesLost()} counts it and
 * {@link #drainEvents} says where it stopped.
 * <p>
 * <b>Bad frames.</b> A message that is not a frame (shorter than the header, a length field that
 * differs from the message length, a negative type id, a payload above {@code maxMessageLength}) is
 * consumed, and the poll throws a {@link FrameStreamException} naming the values after delivering the
 * frames before it; later polls go on with the frames after it.
 * <p>
 * {@link #take} waits with the URI's idle strategy ({@code wait=spin|yield|backoff}). Not thread-safe.
 */
public final class AeronSubscriber implements Subscriber
{
    private static final long SETUP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SETUP_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AeronUri uri;
    private final AeronConnections.Lease lease;
    private final Subscription subscription;
    private final ImageTracker tracker;
    private final int maxMessageLength;
    private final IdleStrategy idle;
    private final ControlledFragmentAssembler assembler;
    private final Consumer<Image> pollImage = this::pollImage;
    private final String publisherUri;

    private MessageHandler handler;
    private ControlledMessageHandler controlledHandler;
    private int limit;
    private int delivered;
    private int fragments;
    private boolean stopped;
    private FrameStreamException failure;
    private long badFrames;
    private boolean closed;

    /**
     * @param uri the parsed URI.
     * @throws IllegalArgumentException if Aeron refuses the channel (bad value, address in use).
     */
    AeronSubscriber(final AeronUri uri)
    {
        this.uri = uri;
        this.maxMessageLength = uri.maxMessageLength();
        this.idle = EmbeddedDriver.idleStrategy(uri.waitStrategy());
        this.tracker = new ImageTracker(uri.toString());
        this.assembler = new ControlledFragmentAssembler(this::onMessage);
        this.lease = AeronConnections.acquire(uri);
        Subscription added = null;
        try
        {
            added = lease.aeron().addSubscription(uri.channel(), uri.streamId(), tracker::onAvailable, tracker::onUnavailable);
            awaitActive(added);
            this.publisherUri = resolvePublisherUri(added);
        }
        catch (final AeronException ex)
        {
            closeQuietly(added);
            lease.close();
            throw new IllegalArgumentException("Aeron refused the subscription: " + ex.getMessage() + " channel=" +
                uri.channel() + " streamId=" + uri.streamId() + " uri=" + uri, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(added);
            lease.close();
            throw ex;
        }
        this.subscription = added;
    }

    private void awaitActive(final Subscription added)
    {
        final long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
        long status;
        while ((status = added.channelStatus()) == ChannelEndpointStatus.INITIALIZING && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(SETUP_POLL_NS);
        }
        if (status != ChannelEndpointStatus.ACTIVE)
        {
            throw new IllegalArgumentException("Aeron subscription channel is not active: status=" +
                ChannelEndpointStatus.status(status) + " (address in use or not local?) channel=" + uri.channel() + " uri=" + uri);
        }
    }

    private String resolvePublisherUri(final Subscription added)
    {
        String text = uri.toString();
        final String endpoint = uri.channelParameter("endpoint");
        if (uri.isUdp() && endpoint != null && endpoint.endsWith(":0"))
        {
            final long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
            String resolved;
            while ((resolved = added.resolvedEndpoint()) == null && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(SETUP_POLL_NS);
            }
            if (resolved == null)
            {
                throw new IllegalStateException("Aeron did not report the port it bound within " +
                    TimeUnit.NANOSECONDS.toSeconds(SETUP_TIMEOUT_NS) + " s: uri=" + uri);
            }
            text = uri.withEndpoint(resolved);
        }
        if (!uri.isUdp() && uri.aeronDir() == null)
        {
            // another process reaches this subscriber through this process's embedded driver
            text = text + (text.indexOf('?') < 0 ? "?" : "&") + AeronUri.AERON_DIR + "=" + lease.directory();
        }
        return text;
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        checkOpen();
        this.handler = handler;
        return pollImages(limit);
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        checkOpen();
        this.controlledHandler = handler;
        return pollImages(limit);
    }

    private int pollImages(final int limit)
    {
        this.limit = limit;
        delivered = 0;
        fragments = 0;
        stopped = limit <= 0;
        try
        {
            subscription.forEachImage(pollImage);
        }
        finally
        {
            handler = null;
            controlledHandler = null;
        }
        final FrameStreamException bad = failure;
        if (bad != null)
        {
            failure = null;
            throw bad;
        }
        return delivered;
    }

    private void pollImage(final Image image)
    {
        if (!stopped)
        {
            // BREAK from onMessage ends the image's poll at the limit; its term end bounds the fragments read
            fragments += image.controlledPoll(assembler, Integer.MAX_VALUE);
        }
    }

    private ControlledFragmentHandler.Action onMessage(
        final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int frameLength = length >= FrameDescriptor.HEADER_LENGTH ?
            buffer.getInt(offset + FrameDescriptor.LENGTH_OFFSET, FrameDescriptor.BYTE_ORDER) : -1;
        final int typeId = length >= FrameDescriptor.HEADER_LENGTH ?
            buffer.getInt(offset + FrameDescriptor.TYPE_ID_OFFSET, FrameDescriptor.BYTE_ORDER) : -1;
        if (frameLength != length || typeId < FrameDescriptor.MIN_APPLICATION_TYPE_ID ||
            length - FrameDescriptor.HEADER_LENGTH > maxMessageLength)
        {
            badFrames++;
            failure = new FrameStreamException("not a shmring frame on " + uri + " (session " + header.sessionId() +
                " position " + header.position() + "): frameLength=" + frameLength + " messageLength=" + length +
                " typeId=" + typeId + " maxMessageLength=" + maxMessageLength);
            stopped = true;
            return ControlledFragmentHandler.Action.BREAK;
        }
        final int payloadOffset = offset + FrameDescriptor.HEADER_LENGTH;
        final int payloadLength = length - FrameDescriptor.HEADER_LENGTH;
        ControlledFragmentHandler.Action action = ControlledFragmentHandler.Action.CONTINUE;
        if (controlledHandler != null)
        {
            action = toAeron(controlledHandler.onMessage(typeId, buffer, payloadOffset, payloadLength));
            if (action == ControlledFragmentHandler.Action.ABORT || action == ControlledFragmentHandler.Action.BREAK)
            {
                stopped = true;
            }
        }
        else
        {
            handler.onMessage(typeId, buffer, payloadOffset, payloadLength);
        }
        if (action != ControlledFragmentHandler.Action.ABORT && ++delivered >= limit)
        {
            stopped = true;
            return ControlledFragmentHandler.Action.BREAK;
        }
        return action;
    }

    private static ControlledFragmentHandler.Action toAeron(final ControlledMessageHandler.Action action)
    {
        switch (action)
        {
            case ABORT:
                return ControlledFragmentHandler.Action.ABORT;
            case BREAK:
                return ControlledFragmentHandler.Action.BREAK;
            case COMMIT:
                return ControlledFragmentHandler.Action.COMMIT;
            default:
                return ControlledFragmentHandler.Action.CONTINUE;
        }
    }

    /**
     * Deliver at least one message, waiting with the URI's idle strategy up to {@code timeout}.
     *
     * @return messages delivered; 0 if the timeout passed or the stream ended.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        idle.reset();
        while (true)
        {
            final int taken = poll(handler, limit);
            if (taken > 0 || isEndOfStream())
            {
                return taken;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("take interrupted: " + uri);
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return 0;
            }
            if (fragments > 0)
            {
                idle.reset(); // part of a fragmented message arrived: the rest is close behind
            }
            else
            {
                idle.idle();
            }
        }
    }

    @Override
    public boolean isEndOfStream()
    {
        checkOpen();
        return tracker.isEndOfStream(subscription);
    }

    /**
     * @return the URI a publisher opens to reach this subscriber: with the port bound when the URI asked port 0,
     * and for {@code aeron:ipc} on an embedded driver with that driver's {@code aeronDir}.
     */
    public String publisherUri()
    {
        return publisherUri;
    }

    /**
     * @return true while at least one publisher is connected.
     */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /**
     * @return publisher sessions that joined so far.
     */
    public long imagesJoined()
    {
        return tracker.joined();
    }

    /**
     * @return publisher sessions that went away without their end of stream (what they sent later is lost).
     */
    public long imagesLost()
    {
        return tracker.lost();
    }

    /**
     * @return sessions joined after they had started: their earlier frames were never received here.
     */
    public long lateJoins()
    {
        return tracker.lateJoins();
    }

    /**
     * @return messages dropped (after an exception) because they were not shmring frames.
     */
    public long badFrames()
    {
        return badFrames;
    }

    /**
     * @param consumer receives one line per image event (joined, ended, lost) since the last call.
     */
    public void drainEvents(final Consumer<String> consumer)
    {
        tracker.drainEvents(consumer);
    }

    /**
     * @return the media driver's directory (this JVM's embedded one unless the URI named {@code aeronDir}).
     */
    public String aeronDirectory()
    {
        return lease.directory();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            subscription.close();
        }
        finally
        {
            lease.close();
        }
    }

    @Override
    public String toString()
    {
        return "AeronSubscriber{" + uri + '}';
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException("subscriber", uri);
        }
    }

    private static void closeQuietly(final Subscription subscription)
    {
        if (subscription != null)
        {
            subscription.close();
        }
    }
}
