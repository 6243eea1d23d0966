package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parent's part of one fan-in run: one peer, N producer child JVMs and one consumer child JVM, one round. Makes the
 * ring file, starts the consumer and waits until it is attached, starts the producers and waits until each has
 * registered, then releases them all at once ({@link StartLine}); each producer sends its share of the warm-up and
 * measured messages and an end message, and the consumer checks every producer's sequence ({@link FanInChecker}).
 * The time runs from the earliest producer's first measured send to the consumer's receipt of the last end message.
 * <p>
 * The consumer is a child, not this process, so that every process of a run is a fresh JVM that has only ever run one
 * peer: this process runs every peer in turn, and a consumer loop in it would be compiled with the profile of the
 * peers run before (a call site that has seen both peers' receivers is no longer inlined as one), so a peer's figure
 * would depend on the shuffled order. The parent only waits (blocked, not polling) while a run is measured.
 * <p>
 * The parent waits at most the stall timeout for each child to exit after the one before it did; the children fail
 * sooner on a ring that stops moving (their spin waits check the same timeout).
 */
final class FanInRun
{
    private static final long CHILD_START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final String CONSUMER = "consumer";
    private static final String START_FILE = "start";

    private final FanInPeer peer;
    private final RunPlan plan;

    /**
     * @param peer the peer.
     * @param plan what to run.
     */
    FanInRun(final FanInPeer peer, final RunPlan plan)
    {
        this.peer = peer;
        this.plan = plan;
    }

    /**
     * @param total     messages, all producers together.
     * @param producers producer processes.
     * @param index     a producer's index.
     * @return that producer's share: {@code total / producers}, the first {@code total % producers} producers one more.
     */
    static long share(final long total, final int producers, final int index)
    {
        return total / producers + (index < total % producers ? 1 : 0);
    }

    /**
     * @return the run's figures.
     * @throws Exception if a child fails (a message missing, repeated or out of order fails the consumer), a producer's
     *                   messages were not all received, or a ring stalls.
     */
    FanInResult run() throws Exception
    {
        Files.createDirectories(plan.directory());
        final List<Process> children = new ArrayList<>();
        try (AutoCloseable ring = peer.create(plan.directory());
            StartLine start = StartLine.create(plan.directory().resolve(START_FILE)))
        {
            try
            {
                children.add(startChild(FanInChild.Role.CONSUMER, 0));
                Handshake.await(file("ready", CONSUMER), children.get(0), CHILD_START_TIMEOUT_NS);
                for (int i = 0; i < plan.processes(); i++)
                {
                    children.add(startChild(FanInChild.Role.PRODUCER, i));
                }
                for (int i = 0; i < plan.processes(); i++)
                {
                    Handshake.await(file("ready", producerName(i)), children.get(i + 1), CHILD_START_TIMEOUT_NS);
                }
                start.start();
                awaitExits(children);
                return collect();
            }
            finally
            {
                ChildCommands.killAll(children);
            }
        }
        finally
        {
            ChildRun.deleteRecursively(plan.directory());
        }
    }

    private void awaitExits(final List<Process> children) throws Exception
    {
        final List<Process> running = new ArrayList<>(children);
        while (!running.isEmpty())
        {
            final CompletableFuture<?>[] exits = running.stream().map(Process::onExit).toArray(CompletableFuture[]::new);
            try
            {
                CompletableFuture.anyOf(exits).get(plan.stallNanos(), TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException ex)
            {
                throw new IllegalStateException(peer.name() + ": " + running.size() + " process(es) still running, none exited for " +
                    TimeUnit.NANOSECONDS.toSeconds(plan.stallNanos()) + " s");
            }
            for (final Iterator<Process> each = running.iterator(); each.hasNext(); )
            {
                final Process child = each.next();
                if (!child.isAlive())
                {
                    final int index = children.indexOf(child);
                    if (child.exitValue() != 0)
                    {
                        throw new IllegalStateException(peer.name() + ": " + (index == 0 ? CONSUMER : producerName(index - 1)) +
                            " failed with exit code " + child.exitValue());
                    }
                    each.remove();
                }
            }
        }
    }

    private FanInResult collect()
    {
        final Map<String, String> consumer = Handshake.read(file("result", CONSUMER));
        long start = Long.MAX_VALUE;
        long sent = 0;
        long received = 0;
        for (int i = 0; i < plan.processes(); i++)
        {
            final Map<String, String> producer = Handshake.read(file("result", producerName(i)));
            final long expected = share(plan.warmup(), plan.processes(), i) + share(plan.count(), plan.processes(), i);
            final long producerSent = Long.parseLong(producer.get("sent"));
            final long consumerReceived = Long.parseLong(consumer.get("received-" + i));
            if (producerSent != expected || consumerReceived != expected)
            {
                throw new IllegalStateException(peer.name() + ": " + producerName(i) + " sent " + producerSent +
                    " and the consumer received " + consumerReceived + " of its " + expected + " messages");
            }
            start = Math.min(start, Long.parseLong(producer.get("startNs")));
            sent += producerSent;
            received += consumerReceived;
        }
        final long end = Long.parseLong(consumer.get("endNs"));
        return new FanInResult(peer.name(), plan.processes(), plan.size(), plan.round(), plan.count(),
            plan.count() * 1e9 / (end - start), sent, received);
    }

    private static String producerName(final int index)
    {
        return "producer-" + index;
    }

    private Path file(final String what, final String process)
    {
        return plan.directory().resolve(what + "-" + process);
    }

    private Process startChild(final FanInChild.Role role, final int index) throws Exception
    {
        final String process = role == FanInChild.Role.CONSUMER ? CONSUMER : producerName(index);
        final List<String> args = new ArrayList<>(ChildOptions.args(plan.directory(), file("ready", process),
            file("result", process), plan.stallNanos()));
        args.addAll(List.of(
            "--role", role.name(),
            "--peer", peer.name(),
            "--producers", String.valueOf(plan.processes()),
            "--size", String.valueOf(plan.size())));
        if (role == FanInChild.Role.PRODUCER)
        {
            args.addAll(List.of(
                "--index", String.valueOf(index),
                "--warmup", String.valueOf(share(plan.warmup(), plan.processes(), index)),
                "--count", String.valueOf(share(plan.count(), plan.processes(), index)),
                "--start-file", plan.directory().resolve(START_FILE).toString()));
        }
        return ChildJvm.builder(FanInChild.class, List.of(), args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
