package io.shmring.ringbuffer;

import io.shmring.core.ControlledMessageHandler;
import io.shmring.core.FrameDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeCondition;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

import static io.shmring.core.FrameDescriptor.HEADER_LENGTH;
import static io.shmring.core.FrameDescriptor.LENGTH_OFFSET;
import static io.shmring.core.FrameDescriptor.PADDING_TYPE_ID;
import static io.shmring.core.FrameDescriptor.TYPE_ID_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.CONSUMER_PID_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.CONSUMER_START_TIME_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.HEAD_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.PRODUCER_CLOSED_OFFSET;
import static io.shmring.ringbuffer.RingDescriptor.TAIL_OFFSET;

/**
 * The one consumer of an SPSC ring. Reads every frame below the tail in place, then moves the head
 * with a release store so the producer reuses the space only after the reads. Not thread-safe.
 * <p>
 * The tail is read once per batch (acquire) and cached, so a busy consumer touches the producer's
 * cache line once per batch, not once per message.
 * <p>
 * {@link #take} blocks by the consumer's {@link WaitStrategy}: by default it spins, yields, then sleeps
 * on the ring's not-empty wake line until a producer publishes (futex or semaphore, as the file says).
 * Each move of the head signals the not-full line, which costs a fence and a read unless a producer sleeps.
 */
public final class SpscConsumer implements Subscriber
{
    private final RingFile file;
    private final AtomicBuffer control;
    private final UnsafeBuffer data;
    private final RingOwnership ownership;
    private final ConsumerHeartbeat heartbeat;
    private final RingWakeups wakeups;
    private final WakeCondition readable = this::isReadableOrClosed;
    private final int mask;

    private long head;
    private long tailCache;
    private boolean closed;

    /**
     * A consumer whose {@link #take} uses {@link RingWakeups#defaultWaitStrategy()}.
     *
     * @param file an SPSC ring file.
     * @throws IllegalArgumentException if the file is not SPSC.
     * @throws IllegalStateException    if another live consumer is attached.
     */
    public SpscConsumer(final RingFile file)
    {
        this(file, RingWakeups.defaultWaitStrategy());
    }

    /**
     * @param file         an SPSC ring file.
     * @param waitStrategy how {@link #take} waits; this consumer's own instance.
     * @throws IllegalArgumentException if the file is not SPSC.
     * @throws IllegalStateException    if another live consumer is attached.
     */
    public SpscConsumer(final RingFile file, final WaitStrategy waitStrategy)
    {
        if (file.kind() != RingKind.SPSC)
        {
            throw new IllegalArgumentException("SpscConsumer needs an SPSC ring: kind=" + file.kind() + " path=" + file.path());
        }
        this.file = file;
        this.control = file.buffer();
        this.data = file.data();
        this.mask = file.capacity() - 1;
        this.wakeups = new RingWakeups(file, waitStrategy);
        this.ownership = RingOwnership.acquire(file, CONSUMER_PID_OFFSET, CONSUMER_START_TIME_OFFSET, "consumer");
        this.heartbeat = new ConsumerHeartbeat(control);
        this.head = control.getLongAcquire(HEAD_OFFSET); // acquire: resume where a previous consumer stopped
        this.tailCache = head;
        heartbeat.beat();
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        final long tail = availableTail();
        final long head = this.head;
        if (head == tail)
        {
            heartbeat.idle();
            return 0;
        }
        long position = head;
        int delivered = 0;
        try
        {
            while (delivered < limit && position < tail)
            {
                final int index = (int)position & mask;
                final int frameLength = checkedFrameLength(index, position, tail);
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                position += FrameDescriptor.align(frameLength);
                if (typeId != PADDING_TYPE_ID)
                {
                    delivered++;
                    handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                }
            }
        }
        finally
        {
            moveHead(position);
        }
        heartbeat.busy();
        return delivered;
    }

    @Override
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        final long tail = availableTail();
        if (head == tail)
        {
            heartbeat.idle();
            return 0;
        }
        long position = head;
        int consumed = 0;
        try
        {
            while (consumed < limit && position < tail)
            {
                final int index = (int)position & mask;
                final int frameLength = checkedFrameLength(index, position, tail);
                final int typeId = data.getInt(index + TYPE_ID_OFFSET);
                final int alignedLength = FrameDescriptor.align(frameLength);
                if (typeId == PADDING_TYPE_ID)
                {
                    position += alignedLength;
                    continue;
                }
                final ControlledMessageHandler.Action action =
                    handler.onMessage(typeId, data, index + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                if (action == ControlledMessageHandler.Action.ABORT)
                {
                    break;
                }
                position += alignedLength;
                consumed++;
                if (action == ControlledMessageHandler.Action.BREAK)
                {
                    break;
                }
                if (action == ControlledMessageHandler.Action.COMMIT)
                {
                    moveHead(position);
                }
            }
        }
        finally
        {
            moveHead(position);
        }
        heartbeat.busy();
        return consumed;
    }

    /**
     * Deliver at least one message, waiting by this consumer's wait strategy, up to {@code timeout}, for
     * one to be published. An interrupt ends a sleep within a slice (tens of milliseconds).
     *
     * @return messages delivered; 0 if the timeout passed or the producer closed and all was consumed.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    @Override
    public int take(final MessageHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return wakeups.take(this, readable, handler, limit, timeout, unit);
    }

    /**
     * @return this consumer's wait strategy, wake lines and their wait/wake counters.
     */
    public RingWakeups wakeups()
    {
        return wakeups;
    }

    /**
     * @return true when the ring is empty now.
     */
    public boolean isEmpty()
    {
        return head == availableTail();
    }

    /**
     * @return true if the producer closed the ring and everything it published has been consumed.
     */
    @Override
    public boolean isEndOfStream()
    {
        final boolean closedFlag = control.getIntAcquire(PRODUCER_CLOSED_OFFSET) == 1; // acquire: the flag follows the last tail
        return closedFlag && head == availableTail();
    }

    /**
     * @return bytes consumed so far (the head position).
     */
    public long position()
    {
        return head;
    }

    /**
     * @return the ring file this consumer reads.
     */
    public RingFile file()
    {
        return file;
    }

    /**
     * Detach so another consumer may attach. The file stays mapped: close the {@link RingFile} separately.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            ownership.release();
        }
    }

    private long availableTail()
    {
        if (closed)
        {
            throw new IllegalStateException("consumer is closed: path=" + file.path());
        }
        if (head == tailCache)
        {
            tailCache = control.getLongAcquire(TAIL_OFFSET); // acquire: pairs with the producer's release; frames below are whole
        }
        return tailCache;
    }

    private void moveHead(final long position)
    {
        if (position != head)
        {
            head = position;
            control.putLongRelease(HEAD_OFFSET, position); // release: our reads of the frames finish before the producer reuses them
            wakeups.signalNotFull(); // full fence after the head store, then the waiter count: wakes a producer waiting for space
        }
    }

    private boolean isReadableOrClosed()
    {
        return head != availableTail() ||
            control.getIntAcquire(PRODUCER_CLOSED_OFFSET) == 1; // acquire: the flag follows the last tail
    }

    /**
     * A frame whose length does not fit what the producer published means another writer broke the ring;
     * stop with the values rather than read past it.
     */
    private int checkedFrameLength(final int index, final long position, final long tail)
    {
        final int frameLength = data.getInt(index + LENGTH_OFFSET); // plain: ordered by the acquire of the tail
        final long aligned = FrameDescriptor.align(frameLength);
        if (frameLength < HEADER_LENGTH || position + aligned > tail || index + aligned > mask + 1L)
        {
            throw new IllegalStateException("corrupt frame in ring: position=" + position + " frameLength=" + frameLength +
                " tail=" + tail + " path=" + file.path());
        }
        return frameLength;
    }
}
