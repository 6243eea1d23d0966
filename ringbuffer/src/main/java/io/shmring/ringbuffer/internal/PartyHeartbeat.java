package io.shmring.ringbuffer.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Beats for one attached party every {@link PartyDescriptor#HEARTBEAT_INTERVAL_MS} from one daemon timer
 * thread per JVM, whatever the party's own threads do (spin, sleep in a futex wait, sit idle inside a claim),
 * so a heartbeat that stops means the process is dead or frozen. Each beat also runs the end's own slow-path
 * check (a producer looks whether its ring file is still at its path), and reports a role another process
 * took over.
 */
public final class PartyHeartbeat
{
    /**
     * What the end attached to the record wants to hear from the timer.
     */
    public interface Listener
    {
        /**
         * Called on the timer thread at every beat while the role is still held.
         */
        default void onBeat()
        {
        }

        /**
         * Called once, on the timer thread, when the record shows another owner: the end must stop writing.
         */
        void onOwnershipLost();

        /**
         * Called on the timer thread before each beat touches the record.
         *
         * @return false if the memory under the record can no longer be touched safely (the ring file shrank while
         *         mapped): the heartbeat then stops without touching it, and {@link #onMappingLost()} is called.
         */
        default boolean isMappingIntact()
        {
            return true;
        }

        /**
         * Called once, on the timer thread, when {@link #isMappingIntact()} said false.
         */
        default void onMappingLost()
        {
        }
    }

    private static final class TimerHolder
    {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "shmring-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    private final PartyRecord record;
    private final long ownerWord;
    private final Listener listener;
    private final ScheduledFuture<?> task;
    private boolean stopped;
    private RuntimeException lastFailure;

    private PartyHeartbeat(final PartyRecord record, final long ownerWord, final Listener listener)
    {
        this.record = record;
        this.ownerWord = ownerWord;
        this.listener = listener;
        this.task = TimerHolder.TIMER.scheduleAtFixedRate(
            this::beat, PartyDescriptor.HEARTBEAT_INTERVAL_MS, PartyDescriptor.HEARTBEAT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param record    the record this process attached to (its first heartbeat is already written).
     * @param ownerWord this process's owner word in it.
     * @param listener  the end's callbacks.
     * @return a running heartbeat.
     */
    public static PartyHeartbeat start(final PartyRecord record, final long ownerWord, final Listener listener)
    {
        return new PartyHeartbeat(record, ownerWord, listener);
    }

    /**
     * Stop beating. Once this returns the timer never touches the record (or runs the listener) again, so the
     * memory may be unmapped. Idempotent.
     */
    public void stop()
    {
        task.cancel(false);
        synchronized (this)
        {
            stopped = true;
        }
    }

    private synchronized void beat()
    {
        if (stopped)
        {
            return;
        }
        try
        {
            if (!listener.isMappingIntact())
            {
                stopped = true;
                task.cancel(false);
                listener.onMappingLost();
                return;
            }
            if (!record.beat(ownerWord))
            {
                stopped = true;
                task.cancel(false);
                listener.onOwnershipLost();
                return;
            }
            listener.onBeat();
        }
        catch (final RuntimeException ex)
        {
            // a failing check must not end the beats (an exception cancels a periodic task): keep it for diagnosis
            lastFailure = ex;
        }
    }

    /**
     * @return the last exception a beat's check threw (the heartbeat went on), or null.
     */
    public synchronized RuntimeException lastFailure()
    {
        return lastFailure;
    }
}
