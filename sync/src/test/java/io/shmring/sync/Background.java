package io.shmring.sync;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test's background thread that may sleep on a wake line. Close it before the test unmaps the line:
 * if the thread is still running (the test failed on the way), it is interrupted and its line signalled
 * until it has left, since a thread still asleep in a long slice would touch unmapped memory when it wakes
 * and crash the JVM, hiding the failure that left it there.
 *
 * @param <T> what the work returns.
 */
public final class Background<T> implements AutoCloseable
{
    private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final FutureTask<T> task;
    private final Thread thread;
    private final Runnable wake;

    private Background(final String name, final Callable<T> work, final Runnable wake)
    {
        this.task = new FutureTask<>(work);
        this.thread = new Thread(task, name);
        this.wake = wake;
    }

    /**
     * @param name thread name.
     * @param work what the thread does.
     * @param wake signals the line(s) the work may sleep on; run only when stopping a thread that is still running.
     * @param <T>  what the work returns.
     * @return the started thread.
     */
    public static <T> Background<T> start(final String name, final Callable<T> work, final Runnable wake)
    {
        final Background<T> background = new Background<>(name, work, wake);
        background.thread.start();
        return background;
    }

    /**
     * @return true once the work has returned or thrown.
     */
    public boolean isDone()
    {
        return task.isDone();
    }

    /**
     * @return what the work returned.
     * @throws Exception        what the work threw (an AssertionError stays one).
     * @throws TimeoutException if it is still running after {@code timeoutSeconds}.
     */
    public T get(final long timeoutSeconds) throws Exception
    {
        try
        {
            return task.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Error)
            {
                throw (Error)ex.getCause();
            }
            throw (Exception)ex.getCause();
        }
    }

    /**
     * @return for a failure message: still running, or what the work returned or threw.
     */
    public String outcome()
    {
        if (!task.isDone())
        {
            return "still running";
        }
        try
        {
            return "returned " + task.get();
        }
        catch (final ExecutionException ex)
        {
            return "threw " + ex.getCause();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        final long deadline = System.nanoTime() + STOP_TIMEOUT_NANOS;
        while (thread.isAlive())
        {
            thread.interrupt();
            wake.run(); // a sleeper wakes, sees the interrupt and leaves
            thread.join(10);
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("background thread " + thread.getName() + " did not stop within 60 s");
            }
        }
    }
}
