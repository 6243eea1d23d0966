package io.shmring.aeron;

import io.shmring.core.ClosedException;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.BufferClaim;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Publisher} over an Aeron exclusive publication (one Aeron session per publisher): each message
 * is one shmring frame, the 8-byte header then the payload, as one Aeron message.
 * <p>
 * <b>Back-pressure and "not connected"</b> are return values: {@code offer} returns false and
 * {@code tryClaim} {@link #INSUFFICIENT_CAPACITY} while no subscriber is connected or the flow-control
 * window is full ({@link #isConnected()} tells which). A closed publication or one at Aeron's maximum
 * position is an {@link IllegalStateException}.
 * <p>
 * <b>Claims.</b> A frame that fits one Aeron fragment (MTU less headers, about 1.3 KiB by default) is
 * claimed in Aeron's log and written in place: {@link #buffer()} is then a view of the claimed frame.
 * A longer one is claimed only if the window is open; it is written into a staging buffer and
 * offered at {@link #commit}. If that offer meets a full window or a lost subscriber, the frame stays
 * staged and goes first on the next {@code offer}, {@code tryClaim} or {@code flush}, which report no
 * space until it has gone; {@link #close} reports a staged frame it could not send.
 * <p>
 * <b>Close</b> sends the end of stream. With this JVM's embedded driver over UDP, close waits (up to the
 * driver's publication linger, 5 s by default, plus 1 s) until a unicast subscriber's driver confirmed it
 * received everything (a multicast channel waits the linger: its subscribers never confirm), since the
 * embedded driver stops with the last user in this process; a unicast close that got no confirmation
 * logs a warning. Not thread-safe.
 */
public final class AeronPublisher implements Publisher
{
    private static final System.Logger LOGGER = System.getLogger(AeronPublisher.class.getName());
    private static final int NO_CLAIM = -1;
    private static final int ADMIN_RETRIES = 3;
    private static final long DELIVERY_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long DELIVERY_MARGIN_NS = TimeUnit.SECONDS.toNanos(1);

    private final AeronUri uri;
    private final AeronConnections.Lease lease;
    private final ExclusivePublication publication;
    private final int maxMessageLength;
    private final int maxClaimFrame;
    private final BufferClaim bufferClaim = new BufferClaim();
    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameDescriptor.HEADER_LENGTH));
    private final UnsafeBuffer staging;
    private final IdleStrategy idle;

    private int claimIndex = NO_CLAIM;
    private boolean claimInLog;
    private int stagedFrameLength;
    private boolean staged;
    private long backPressured;
    private long notConnected;
    private boolean closed;

    /**
     * @param uri the parsed URI.
     * @throws IllegalArgumentException if Aeron refuses the channel or its term length cannot carry
     *                                  {@code maxMessageLength}.
     */
    AeronPublisher(final AeronUri uri)
    {
        this.uri = uri;
        this.idle = EmbeddedDriver.idleStrategy(uri.waitStrategy());
        this.lease = AeronConnections.acquire(uri);
        ExclusivePublication added = null;
        try
        {
            added = lease.aeron().addExclusivePublication(uri.channel(), uri.streamId());
            this.maxMessageLength = maxMessageLength(uri, added);
        }
        catch (final AeronException ex)
        {
            closeQuietly(added);
            lease.close();
            throw new IllegalArgumentException("Aeron refused the publication: " + ex.getMessage() + " channel=" +
                uri.channel() + " streamId=" + uri.streamId() + " uri=" + uri, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(added);
            lease.close();
            throw ex;
        }
        this.publication = added;
        this.maxClaimFrame = added.maxPayloadLength();
        this.staging = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameDescriptor.HEADER_LENGTH + maxMessageLength));
    }

    /**
     * @return the URI's maxMessageLength if Aeron can carry it, else without one in the URI the default or the largest
     * the term length allows, whichever is smaller.
     */
    private static int maxMessageLength(final AeronUri uri, final ExclusivePublication added)
    {
        final int aeronLimit = added.maxMessageLength() - FrameDescriptor.HEADER_LENGTH;
        if (!uri.hasMaxMessageLength())
        {
            return Math.min(uri.maxMessageLength(), aeronLimit);
        }
        final int maxMessageLength = uri.maxMessageLength();
        final long frame = (long)FrameDescriptor.HEADER_LENGTH + maxMessageLength;
        if (frame > added.maxMessageLength())
        {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " needs Aeron messages of " + frame +
                " bytes but this publication takes at most " + added.maxMessageLength() + " (term-length/8 with term-length=" +
                added.termBufferLength() + "): raise term-length or lower maxMessageLength: uri=" + uri);
        }
        return maxMessageLength;
    }

    @Override
    public boolean offer(final int typeId, final DirectBuffer src, final int offset, final int length)
    {
        checkMessage(typeId, length);
        if (!sendStaged())
        {
            return false;
        }
        header.putInt(FrameDescriptor.LENGTH_OFFSET, FrameDescriptor.frameLength(length), FrameDescriptor.BYTE_ORDER);
        header.putInt(FrameDescriptor.TYPE_ID_OFFSET, typeId, FrameDescriptor.BYTE_ORDER);
        long result = Publication.ADMIN_ACTION;
        for (int i = 0; i < ADMIN_RETRIES && result == Publication.ADMIN_ACTION; i++)
        {
            result = publication.offer(header, 0, FrameDescriptor.HEADER_LENGTH, src, offset, length);
        }
        return accepted(result);
    }

    @Override
    public boolean offer(
        final int typeId, final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        idle.reset();
        while (!offer(typeId, src, offset, length))
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("offer interrupted: " + uri);
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    @Override
    public int tryClaim(final int typeId, final int length)
    {
        checkMessage(typeId, length);
        if (!sendStaged())
        {
            return INSUFFICIENT_CAPACITY;
        }
        final int frameLength = FrameDescriptor.frameLength(length);
        if (frameLength <= maxClaimFrame)
        {
            long result = Publication.ADMIN_ACTION;
            for (int i = 0; i < ADMIN_RETRIES && result == Publication.ADMIN_ACTION; i++)
            {
                result = publication.tryClaim(frameLength, bufferClaim);
            }
            if (!accepted(result))
            {
                return INSUFFICIENT_CAPACITY;
            }
            final MutableDirectBuffer claimed = bufferClaim.buffer();
            final int frame = bufferClaim.offset();
            claimed.putInt(frame + FrameDescriptor.LENGTH_OFFSET, frameLength, FrameDescriptor.BYTE_ORDER);
            claimed.putInt(frame + FrameDescriptor.TYPE_ID_OFFSET, typeId, FrameDescriptor.BYTE_ORDER);
            claimInLog = true;
            claimIndex = frame + FrameDescriptor.HEADER_LENGTH;
            return claimIndex;
        }
        if (publication.availableWindow() <= 0)
        {
            accepted(publication.isConnected() ? Publication.BACK_PRESSURED : Publication.NOT_CONNECTED);
            return INSUFFICIENT_CAPACITY;
        }
        staging.putInt(FrameDescriptor.LENGTH_OFFSET, frameLength, FrameDescriptor.BYTE_ORDER);
        staging.putInt(FrameDescriptor.TYPE_ID_OFFSET, typeId, FrameDescriptor.BYTE_ORDER);
        stagedFrameLength = frameLength;
        claimInLog = false;
        claimIndex = FrameDescriptor.HEADER_LENGTH;
        return claimIndex;
    }

    /**
     * @return while a claim is open, the memory it is written into (a view of Aeron's log, or the staging
     * buffer for a frame longer than one fragment); ask again after each {@link #tryClaim}.
     */
    @Override
    public MutableDirectBuffer buffer()
    {
        return claimIndex != NO_CLAIM && claimInLog ? bufferClaim.buffer() : staging;
    }

    @Override
    public void commit(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
        if (claimInLog)
        {
            bufferClaim.commit();
        }
        else
        {
            staged = true;
            sendStaged();
        }
    }

    @Override
    public void abort(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
        if (claimInLog)
        {
            bufferClaim.abort();
        }
    }

    /**
     * Offer a committed frame still staged (see the class comment); it stays staged if there is no room now.
     */
    @Override
    public void flush()
    {
        checkOpen();
        sendStaged();
    }

    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return true while a subscriber is connected (Aeron's view: status messages arrive).
     */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /**
     * @return offers and claims refused because the flow-control window was full.
     */
    public long backPressured()
    {
        return backPressured;
    }

    /**
     * @return offers and claims refused because no subscriber was connected.
     */
    public long notConnected()
    {
        return notConnected;
    }

    /**
     * @return bytes published so far: Aeron's stream position.
     */
    public long position()
    {
        return publication.position();
    }

    /**
     * @return the Aeron session id of this publisher.
     */
    public int sessionId()
    {
        return publication.sessionId();
    }

    /**
     * Abort an open claim, try a staged frame once more, send the end of stream and release the client.
     *
     * @throws IllegalStateException if a committed frame was still staged (no subscriber or no room): it is lost.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (claimIndex != NO_CLAIM && claimInLog)
        {
            bufferClaim.abort();
        }
        claimIndex = NO_CLAIM;
        final boolean stagedLost = !sendStaged();
        final boolean awaitDelivery = lease.isEmbedded() && uri.isUdp() && publication.isConnected();
        final long registrationId = publication.registrationId();
        try
        {
            publication.close();
            if (awaitDelivery)
            {
                awaitDelivery(registrationId);
            }
        }
        finally
        {
            lease.close();
        }
        if (stagedLost)
        {
            throw new IllegalStateException("closed with a committed frame of " + stagedFrameLength +
                " bytes that Aeron did not take (not connected or window full): it is lost: uri=" + uri);
        }
    }

    /**
     * The driver frees a network publication's sender position once the unicast subscriber has confirmed the end
     * of stream (everything received), or after its linger: wait for that before the embedded driver may stop.
     */
    private void awaitDelivery(final long registrationId)
    {
        final CountersReader counters = lease.aeron().countersReader();
        final long deadline = System.nanoTime() + lease.publicationLingerNs() + DELIVERY_MARGIN_NS;
        while (counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID, registrationId) !=
            CountersReader.NULL_COUNTER_ID)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                if (uri.isUnicast())
                {
                    LOGGER.log(System.Logger.Level.WARNING, "closed {0} before its subscriber confirmed the end of the " +
                        "stream (the subscriber went away?): frames still in flight may not arrive", uri);
                }
                return; // multicast subscribers never confirm: the driver served retransmits for its linger
            }
            LockSupport.parkNanos(DELIVERY_POLL_NS);
        }
    }

    @Override
    public String toString()
    {
        return "AeronPublisher{" + uri + (isConnected() ? "" : ", not connected") + '}';
    }

    private boolean sendStaged()
    {
        if (!staged)
        {
            return true;
        }
        long result = Publication.ADMIN_ACTION;
        for (int i = 0; i < ADMIN_RETRIES && result == Publication.ADMIN_ACTION; i++)
        {
            result = publication.offer(staging, 0, stagedFrameLength);
        }
        if (accepted(result))
        {
            staged = false;
            return true;
        }
        return false;
    }

    /**
     * @param result what Aeron's offer or tryClaim returned.
     * @return true if the frame was taken; false for back-pressure or no subscriber (counted).
     * @throws IllegalStateException if the publication is closed or reached its maximum position.
     */
    private boolean accepted(final long result)
    {
        if (result > 0)
        {
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            backPressured++;
            return false;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            notConnected++;
            return false;
        }
        throw new IllegalStateException("Aeron publication cannot take more: " + Publication.errorString(result) +
            " (closed by its driver, or at its maximum position) uri=" + uri);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException("publisher", uri);
        }
    }

    private void checkMessage(final int typeId, final int length)
    {
        checkOpen();
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("a claim is open, commit or abort it first: index=" + claimIndex);
        }
        FrameDescriptor.checkTypeId(typeId);
        FrameDescriptor.checkMessageLength(length, maxMessageLength);
    }

    private void checkClaim(final int index)
    {
        checkOpen();
        if (claimIndex == NO_CLAIM)
        {
            throw new IllegalStateException("no open claim (already committed or aborted?): index=" + index);
        }
        if (index != claimIndex)
        {
            throw new IllegalStateException("index does not match the open claim: index=" + index + " claim=" + claimIndex);
        }
    }

    private static void closeQuietly(final ExclusivePublication publication)
    {
        if (publication != null)
        {
            publication.close();
        }
    }
}
