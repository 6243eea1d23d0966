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
    private final RunPlan plan;

    /**
     * @param peer the peer.
     * @param plan what to run.
     */
    FanOutRun(final FanOutPeer peer, final RunPlan plan)
    {
        this.peer = peer;
        this.plan = plan;
    }

    /**
     * @return the run's figures.
     * @throws Exception if a consumer fails or misses a message it must not miss, or a channel stalls.
     */
    FanOutResult run() throws Exception
    {
        Files.createDirectories(plan.directory());
        final List<Process> children = new ArrayList<>();
        final SpinWait spin = new SpinWait(peer.name() + " producer", () -> children.stream().allMatch(Process::isAlive),
            plan.stallNanos());
        try (FanOutPeer.Producer producer = peer.producer(plan.directory(), plan.processes(), spin))
        {
            for (int i = 0; i < plan.processes(); i++)
            {
                children.add(startChild(i));
            }
            for (int i = 0; i < plan.processes(); i++)
            {
                Handshake.await(file("ready", i), children.get(i), CHILD_START_TIMEOUT_NS);
            }
            final int size = plan.size();
            final long warmup = plan.warmup();
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            final long total = warmup + plan.count();
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
            ChildCommands.killAll(children);
            ChildRun.deleteRecursively(plan.directory());
        }
    }

    /**
     * A lossy consumer lapped just before the end resynchronises at the tail, past the end message: send it again
     * every {@value #END_REPEAT_NS} ns until every consumer has exited (or the stall timeout passes), so each one sees
     * an end. Such a consumer's time includes up to one repeat interval.
     */
    private void repeatEnd(final FanOutPeer.Producer producer, final UnsafeBuffer payload, final List<Process> children)
    {
        final long deadline = System.nanoTime() + plan.stallNanos();
        while (children.stream().anyMatch(Process::isAlive) && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(END_REPEAT_NS);
            producer.send(FanOutChild.END_TYPE_ID, payload, plan.size());
        }
    }

    private FanOutResult collect(final List<Process> children, final long start, final long total) throws Exception
    {
        long lastEnd = start;
        long minDelivered = Long.MAX_VALUE;
        long laps = 0;
        for (int i = 0; i < plan.processes(); i++)
        {
            final Process child = children.get(i);
            if (!child.waitFor(plan.stallNanos(), TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException(peer.name() + ": consumer " + i + " did not exit within " +
                    TimeUnit.NANOSECONDS.toSeconds(plan.stallNanos()) + " s");
            }
            if (child.exitValue() != 0)
            {
                throw new IllegalStateException(peer.name() + ": consumer " + i + " failed with exit code " + child.exitValue());
            }
            final Map<String, String> result = Handshake.read(file("result", i));
            final long received = Long.parseLong(result.get("received"));
            final long measured = Long.parseLong(result.get("measuredReceived"));
            if (peer.lossless() && (received != total || measured != plan.count()))
            {
                throw new IllegalStateException(peer.name() + ": lossless consumer " + i + " received " + received + " of " + total +
                    " messages (" + measured + " of " + plan.count() + " measured)");
            }
            lastEnd = Math.max(lastEnd, Long.parseLong(result.get("endNs")));
            minDelivered = Math.min(minDelivered, measured);
            laps += Long.parseLong(result.get("laps"));
        }
        return new FanOutResult(peer.name(), plan.processes(), plan.size(), plan.round(), plan.count(),
            plan.count() * 1e9 / (lastEnd - start), minDelivered, laps);
    }

    private Path file(final String what, final int index)
    {
        return plan.directory().resolve(what + "-" + index);
    }

    private Process startChild(final int index) throws Exception
    {
        final List<String> args = new ArrayList<>(ChildOptions.args(plan.directory(), file("ready", index), file("result", index),
            plan.stallNanos()));
        args.addAll(List.of(
            "--peer", peer.name(),
            "--index", String.valueOf(index),
            "--size", String.valueOf(plan.size()),
            "--measured-from", String.valueOf(plan.warmup())));
        return ChildJvm.builder(FanOutChild.class, List.of(), args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
