package io.shmring.bench.harness;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.MessageHandler;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parent's half of one measured run: one transport, one round, every size. Opens the parent side,
 * starts the {@link EchoChild} JVM, then per size times ping-pong round trips and receives the child's
 * one-way stream, checking every sequence number. Files go in a directory of their own, deleted after.
 */
final class ChildRun
{
    /** Longest latency a histogram holds; longer ones are recorded as this. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int ONEWAY_LIMIT = 256;
    private static final long CHILD_START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long CHILD_EXIT_TIMEOUT_S = 60;

    private final Transport transport;
    private final PeerRun run;
    private final SizePlan jitPlan;
    private final List<SizePlan> plans;
    private final int round;
    private final Path directory;
    private final long stallNanos;
    private final int streamBatch;
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Transport.MAX_MESSAGE_LENGTH));
    private final MessageHandler onEcho = this::onEcho;
    private final MessageHandler onStream = this::onStream;

    private long echoedSequence;
    private int echoedLength;
    private long expectedSequence;
    private int expectedLength;
    private long recordFrom;

    /**
     * @param transport what to measure.
     * @param run       the plans, the round, the run's directory (deleted by {@link #run}), pinning and limits.
     */
    ChildRun(final Transport transport, final PeerRun run)
    {
        this.transport = transport;
        this.run = run;
        this.jitPlan = run.jitPlan();
        this.plans = run.plans();
        this.round = run.round();
        this.directory = run.directory();
        this.stallNanos = run.stallNanos();
        this.streamBatch = run.streamBatch();
    }

    /**
     * @param listener told as each phase starts.
     * @return one result per size and mode.
     * @throws Exception if the child fails, a message is lost or out of order, or a channel stalls.
     */
    List<PhaseResult> run(final MeasuredPeer.PhaseListener listener) throws Exception
    {
        Files.createDirectories(directory);
        final AtomicReference<Process> childHolder = new AtomicReference<>();
        final TransportContext context = new TransportContext(directory, () ->
        {
            final Process child = childHolder.get();
            return child == null || child.isAlive();
        }, stallNanos, streamBatch);
        Process child = null;
        try (TransportSide side = transport.open(Transport.Role.PARENT, context))
        {
            child = startChild(side.announce());
            childHolder.set(child);
            if (!transport.usesChildStandardStreams())
            {
                child.getOutputStream().close();
            }
            side.connect(Handshake.await(directory.resolve("ready"), child, CHILD_START_TIMEOUT_NS), child);
            final List<Measured> results = new ArrayList<>();
            final Sender out = side.sender();
            final Receiver in = side.receiver();
            listener.onPhase(jitPlan.size(), PeerRun.JIT_PHASE);
            roundTrips(jitPlan, out, in);
            oneway(jitPlan, out, in);
            for (final SizePlan plan : plans)
            {
                listener.onPhase(plan.size(), PhaseResult.RTT);
                results.add(roundTrips(plan, out, in));
                listener.onPhase(plan.size(), PhaseResult.ONEWAY);
                results.add(oneway(plan, out, in));
            }
            if (!child.waitFor(CHILD_EXIT_TIMEOUT_S, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(transport.name() + ": child did not exit within " + CHILD_EXIT_TIMEOUT_S + " s");
            }
            if (child.exitValue() != 0)
            {
                throw new IllegalStateException(transport.name() + ": child failed with exit code " + child.exitValue());
            }
            return withChildCounts(results, Handshake.read(directory.resolve("result")));
        }
        finally
        {
            if (child != null && child.isAlive())
            {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            deleteRecursively(directory);
        }
    }

    private Process startChild(final Map<String, String> announced) throws IOException
    {
        final List<String> args = new ArrayList<>(ChildOptions.args(directory, directory.resolve("ready"),
            directory.resolve("result"), stallNanos));
        args.addAll(List.of(
            "--transport", transport.name(),
            "--plan", SizePlan.encode(run.allPlans()),
            "--stream-batch", String.valueOf(streamBatch)));
        for (final Map.Entry<String, String> entry : announced.entrySet())
        {
            args.add("--peer");
            args.add(entry.getKey() + "=" + entry.getValue());
        }
        final ProcessBuilder builder = ChildJvm.builder(EchoChild.class, transport.childJvmFlags(), args);
        run.pinning().pinChild(builder.command());
        if (!transport.usesChildStandardStreams())
        {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return builder.start();
    }

    private Measured roundTrips(final SizePlan plan, final Sender out, final Receiver in)
    {
        final int size = plan.size();
        final long total = (long)plan.rttWarmup() + plan.rttCount();
        histogram.reset();
        long waits = waits(out, in);
        long wakes = wakes(out, in);
        long start = System.nanoTime();
        for (long sequence = 0; sequence < total; sequence++)
        {
            if (sequence == plan.rttWarmup())
            {
                waits = waits(out, in);
                wakes = wakes(out, in);
                start = System.nanoTime();
            }
            payload.putLong(MessageLayout.SEQUENCE_OFFSET, sequence);
            final long sent = System.nanoTime();
            out.send(MessageLayout.DATA_TYPE_ID, payload, 0, size);
            out.flush();
            in.receive(onEcho, 1);
            final long roundTrip = System.nanoTime() - sent;
            if (echoedSequence != sequence || echoedLength != size)
            {
                throw new IllegalStateException(transport.name() + ": echo does not match its ping: sent sequence=" + sequence +
                    " length=" + size + ", got sequence=" + echoedSequence + " length=" + echoedLength);
            }
            if (sequence >= plan.rttWarmup())
            {
                histogram.recordValue(Math.min(roundTrip, HIGHEST_TRACKABLE_NS));
            }
        }
        final long elapsed = System.nanoTime() - start;
        final PhaseResult result = PhaseResult.of(transport.name(), PhaseResult.RTT, size, round, plan.rttCount(), histogram,
            plan.rttCount() * 1e9 / elapsed);
        return new Measured(result, 2 * plan.rttCount(), waits(out, in) - waits, wakes(out, in) - wakes);
    }

    private Measured oneway(final SizePlan plan, final Sender out, final Receiver in)
    {
        final int size = plan.size();
        final long total = (long)plan.onewayWarmup() + plan.onewayCount();
        histogram.reset();
        expectedSequence = 0;
        expectedLength = size;
        recordFrom = plan.onewayWarmup();
        payload.putLong(MessageLayout.SEQUENCE_OFFSET, -1);
        out.send(MessageLayout.GO_TYPE_ID, payload, 0, MessageLayout.MIN_SIZE);
        out.flush();
        long waits = waits(out, in);
        long wakes = wakes(out, in);
        long start = System.nanoTime();
        long measuredFrom = 0;
        boolean measuring = plan.onewayWarmup() == 0;
        while (expectedSequence < total)
        {
            in.receive(onStream, ONEWAY_LIMIT);
            if (!measuring && expectedSequence >= plan.onewayWarmup())
            {
                measuring = true;
                measuredFrom = expectedSequence;
                waits = waits(out, in);
                wakes = wakes(out, in);
                start = System.nanoTime();
            }
        }
        final long elapsed = System.nanoTime() - start;
        final long measured = total - measuredFrom;
        final PhaseResult result = PhaseResult.of(transport.name(), PhaseResult.ONEWAY, size, round, measured,
            histogram, measured * 1e9 / elapsed);
        return new Measured(result, measured, waits(out, in) - waits, wakes(out, in) - wakes);
    }

    private void onEcho(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        echoedSequence = length >= Long.BYTES ? buffer.getLong(offset + MessageLayout.SEQUENCE_OFFSET) : -1;
        echoedLength = length;
    }

    private void onStream(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + MessageLayout.SEQUENCE_OFFSET);
        if (typeId != MessageLayout.DATA_TYPE_ID || sequence != expectedSequence || length != expectedLength)
        {
            throw new IllegalStateException(transport.name() + ": one-way message out of order: expected sequence=" +
                expectedSequence + " length=" + expectedLength + ", got typeId=" + typeId + " sequence=" + sequence +
                " length=" + length);
        }
        final long sentAt = buffer.getLong(offset + MessageLayout.TIMESTAMP_OFFSET);
        if (sentAt != 0 && sequence >= recordFrom)
        {
            histogram.recordValue(Math.max(0, Math.min(System.nanoTime() - sentAt, HIGHEST_TRACKABLE_NS)));
        }
        expectedSequence++;
    }

    /**
     * Add the child's wait and wake counts to the parent's and divide by the messages moved.
     */
    private static List<PhaseResult> withChildCounts(final List<Measured> measured, final Map<String, String> childCounts)
    {
        final List<PhaseResult> combined = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++)
        {
            final Measured each = measured.get(i);
            final PhaseResult result = each.result();
            final String prefix = (1 + i / 2) + "." + result.mode() + "."; // the child's plan 0 is the JIT warm-up
            final long waits = each.waits() + Long.parseLong(childCounts.getOrDefault(prefix + "waits", "0"));
            final long wakes = each.wakes() + Long.parseLong(childCounts.getOrDefault(prefix + "wakes", "0"));
            combined.add(result.withWakeups((double)waits / each.messages(), (double)wakes / each.messages()));
        }
        return combined;
    }

    private static long waits(final Sender out, final Receiver in)
    {
        return out.waitCalls() + in.waitCalls();
    }

    private static long wakes(final Sender out, final Receiver in)
    {
        return out.wakeCalls() + in.wakeCalls();
    }

    /**
     * @param root a directory to delete with everything in it (nothing if it does not exist).
     * @throws UncheckedIOException if something cannot be deleted.
     */
    static void deleteRecursively(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (var paths = Files.walk(root))
        {
            final List<Path> all = new ArrayList<>(paths.toList());
            for (int i = all.size() - 1; i >= 0; i--)
            {
                Files.deleteIfExists(all.get(i));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + root, ex);
        }
    }

    /**
     * A phase's result before the child's counts are added.
     *
     * @param result   latency and rate.
     * @param messages messages moved in the measured part: two per round trip, one per one-way message.
     * @param waits    the parent's native sleep calls in the measured part.
     * @param wakes    the parent's native wake calls in the measured part.
     */
    private record Measured(PhaseResult result, long messages, long waits, long wakes)
    {
    }
}
