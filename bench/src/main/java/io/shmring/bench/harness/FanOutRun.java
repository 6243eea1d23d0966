package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer's half of one fan-out run: one peer, N consumer child JVMs, one round. Makes the ring(s), starts the
 * consumers and waits until each has joined, sends {@code warmup + count} numbered messages and an end message (lossy
 * peers: repeated until every consumer has seen one), and
 * takes the time from the first measured send to the latest moment a consumer saw the end. Every consumer checks every
 * sequence number; a lossless consumer that misses or repeats one fails the run, and so does this side if a lossless
 * consumer reports fewer than all.
 */
final class FanOutRun
{
    private static final long CHILD_START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long END_REPEAT_NS = 1_000_000;

    private final FanOutPeer peer;
    private final int consumers;
    private final int size;
    private final long warmup;
    private final long count;
    private final int round;
    private final Path directory;
    private final long stallNanos;

    FanOutRun(final FanOutPeer peer, final int consumers, final int size, final long warmup, final long count, final int round,
        final Path directory, final long stallNanos)
    {
        this.peer = peer;
        this.consumers = consumers;
        this.size = size;
        this.warmup = warmup;
        this.count = count;
        this.round = round;
        this.directory = directory;
        this.stallNanos = stallNanos;
    }

    /**
     * @return the run's figures.
     * @throws Exception if a consumer fails or misses a message it must not miss, or a channel stalls.
     */
    FanOutResult run() throws Exception
    {
        Files.createDirectories(directory);
        final List<Process> children = new ArrayList<>();
        final SpinWait spin = new SpinWait(peer.name() + " producer", () -> children.stream().allMatch(Process::isAlive), stallNanos);
        try (FanOutPeer.Producer producer = peer.producer(directory, consumers, spin))
        {
            for (int i = 0; i < consumers; i++)
            {
                children.add(startChild(i));
            }
            for (int i = 0; i < consumers; i++)
            {
                Handshake.await(file("ready", i), children.get(i), CHILD_START_TIMEOUT_NS);
            }
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            final long total = warmup + count;
            long start = System.nanoTime();
            for (long sequence = 0; sequence < total; sequence++)
            {
                if (sequence == warmup)
                {
                    start = System.nanoTime();
                }
                payload.putLong(MessageLayout.SEQUENCE_OFFSET, sequence);
                producer.send(MessageLayout.DATA_TYPE_ID, payload, size);
            }
            producer.send(FanOutChild.END_TYPE_ID, payload, size);
            if (!peer.lossless())
            {
                repeatEnd(producer, payload, children);
            }
            return collect(children, start, total);
        }
        finally
        {
            for (final Process child : children)
            {
                if (child.isAlive())
                {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            ChildRun.deleteRecursively(directory);
        }
    }

    /**
     * A lossy consumer lapped just before the end resynchronises at the tail, past the end message: send it again
     * every {@value #END_REPEAT_NS} ns until every consumer has exited (or the stall timeout passes), so each one sees
     * an end. Such a consumer's time includes up to one repeat interval.
     */
    private void repeatEnd(final FanOutPeer.Producer producer, final UnsafeBuffer payload, final List<Process> children)
    {
        final long deadline = System.nanoTime() + stallNanos;
        while (children.stream().anyMatch(Process::isAlive) && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(END_REPEAT_NS);
            producer.send(FanOutChild.END_TYPE_ID, payload, size);
        }
    }

    private FanOutResult collect(final List<Process> children, final long start, final long total) throws Exception
    {
        long lastEnd = start;
        long minDelivered = Long.MAX_VALUE;
        long laps = 0;
        for (int i = 0; i < consumers; i++)
        {
            final Process child = children.get(i);
            if (!child.waitFor(stallNanos, TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException(peer.name() + ": consumer " + i + " did not exit within " +
                    TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
            }
            if (child.exitValue() != 0)
            {
                throw new IllegalStateException(peer.name() + ": consumer " + i + " failed with exit code " + child.exitValue());
            }
            final Map<String, String> result = Handshake.read(file("result", i));
            final long received = Long.parseLong(result.get("received"));
            final long measured = Long.parseLong(result.get("measuredReceived"));
            if (peer.lossless() && (received != total || measured != count))
            {
                throw new IllegalStateException(peer.name() + ": lossless consumer " + i + " received " + received + " of " + total +
                    " messages (" + measured + " of " + count + " measured)");
            }
            lastEnd = Math.max(lastEnd, Long.parseLong(result.get("endNs")));
            minDelivered = Math.min(minDelivered, measured);
            laps += Long.parseLong(result.get("laps"));
        }
        return new FanOutResult(peer.name(), consumers, size, round, count, count * 1e9 / (lastEnd - start), minDelivered, laps);
    }

    private Path file(final String what, final int index)
    {
        return directory.resolve(what + "-" + index);
    }

    private Process startChild(final int index) throws Exception
    {
        final List<String> args = List.of(
            "--peer", peer.name(),
            "--dir", directory.toString(),
            "--index", String.valueOf(index),
            "--size", String.valueOf(size),
            "--measured-from", String.valueOf(warmup),
            "--ready-file", file("ready", index).toString(),
            "--result-file", file("result", index).toString(),
            "--parent-pid", String.valueOf(ProcessHandle.current().pid()),
            "--stall-ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(stallNanos)));
        return ChildJvm.builder(FanOutChild.class, List.of(), args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
