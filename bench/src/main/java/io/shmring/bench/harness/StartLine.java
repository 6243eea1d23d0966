package io.shmring.bench.harness;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A start signal between processes: one word in a small mapped file that the parent sets once every child is ready,
 * so children that became ready seconds apart (JVM start-up) begin within one poll interval of each other. A waiting
 * child sleeps {@value #POLL_NS} ns between reads, so it costs nothing while its siblings start.
 */
final class StartLine implements AutoCloseable
{
    private static final int LENGTH = 64;
    private static final int WORD_OFFSET = 0;
    private static final long POLL_NS = 50_000;
    /** Polls between two checks of the parent (a /proc read) and the deadline: about every 10 ms. */
    private static final int CHECK_EVERY = 200;

    private final MappedByteBuffer map;
    private final UnsafeBuffer word;

    private StartLine(final MappedByteBuffer map)
    {
        this.map = map;
        this.word = new UnsafeBuffer(map);
    }

    /**
     * @param path where the parent makes the file (zero-filled: not started).
     * @return the parent's end.
     */
    static StartLine create(final Path path)
    {
        return new StartLine(IoUtil.mapNewFile(path.toFile(), LENGTH));
    }

    /**
     * @param path a file {@link #create} made.
     * @return a child's end.
     */
    static StartLine open(final Path path)
    {
        return new StartLine(IoUtil.mapExistingFile(path.toFile(), "start line"));
    }

    /**
     * Let every waiting child go.
     */
    void start()
    {
        word.putLongVolatile(WORD_OFFSET, 1); // volatile: seen promptly by the children's volatile reads
    }

    /**
     * Wait until the parent calls {@link #start()}.
     *
     * @param parentAlive true while the parent lives.
     * @param timeoutNs   how long to wait.
     * @throws IllegalStateException if the parent is gone or the timeout passes first.
     */
    void await(final BooleanSupplier parentAlive, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        for (int polls = 1; word.getLongVolatile(WORD_OFFSET) == 0; polls++) // volatile: a fresh read each time
        {
            LockSupport.parkNanos(POLL_NS);
            if (polls % CHECK_EVERY != 0)
            {
                continue;
            }
            if (!parentAlive.getAsBoolean())
            {
                throw new IllegalStateException("the parent process is gone before the start");
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("no start within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
            }
        }
    }

    @Override
    public void close()
    {
        IoUtil.unmap(map);
    }
}
