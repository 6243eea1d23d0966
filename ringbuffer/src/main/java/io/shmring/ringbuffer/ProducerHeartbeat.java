package io.shmring.ringbuffer;

import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes an MPSC producer's heartbeat in its producer table slot every
 * {@link ProducerSlotDescriptor#HEARTBEAT_INTERVAL_MS} ms from one daemon timer thread per JVM, so the
 * claim path never reads a clock and a producer that is alive but idle inside a claim still beats.
 * A heartbeat that stops therefore means the process is dead or frozen.
 */
final class ProducerHeartbeat
{
    private static final class TimerHolder
    {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "shmring-producer-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    private final AtomicBuffer buffer;
    private final int heartbeatOffset;
    private final ScheduledFuture<?> task;
    private boolean stopped;

    private ProducerHeartbeat(final AtomicBuffer buffer, final int heartbeatOffset)
    {
        this.buffer = buffer;
        this.heartbeatOffset = heartbeatOffset;
        this.task = TimerHolder.TIMER.scheduleAtFixedRate(
            this::beat, 0, ProducerSlotDescriptor.HEARTBEAT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param buffer          the ring file.
     * @param heartbeatOffset file offset of the slot's heartbeat.
     * @return a running heartbeat.
     */
    static ProducerHeartbeat start(final AtomicBuffer buffer, final int heartbeatOffset)
    {
        return new ProducerHeartbeat(buffer, heartbeatOffset);
    }

    /**
     * Stop beating. Once this returns the timer never touches the mapping again, so it may be unmapped.
     */
    void stop()
    {
        task.cancel(false);
        synchronized (this)
        {
            stopped = true;
        }
    }

    private synchronized void beat()
    {
        if (!stopped)
        {
            buffer.putLongOpaque(heartbeatOffset, System.currentTimeMillis()); // opaque: the consumer needs a recent value, not ordering
        }
    }
}
