package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The child JVM of one measured run: opens its side of a transport, announces itself, then follows the
 * {@link SizePlan}s: per size it echoes every ping back on the pong channel, then, on the parent's go,
 * streams messages as fast as the transport takes them. At the end it writes its wait and wake counts
 * (over the measured part of each phase) for the parent. Never prints to stdout (it may be the channel).
 */
@Command(name = "echo-child", description = "Internal: the echoing/streaming child of the benchmark harness.")
public final class EchoChild implements Callable<Integer>
{
    private static final int ECHO_LIMIT = 64;

    @Mixin
    private ChildOptions child;

    @Option(names = "--transport", required = true)
    private String transportName;

    @Option(names = "--plan", required = true)
    private String planText;

    @Option(names = "--stream-batch", required = true)
    private int streamBatch;

    @Option(names = "--peer", description = "key=value the parent's side announced")
    private Map<String, String> fromParent = new HashMap<>();

    private Sender out;
    private Receiver in;
    private long echoed;
    private boolean go;
    private final MessageHandler echo = this::echo;
    private final MessageHandler awaitGo = this::onGo;

    private EchoChild()
    {
    }

    /**
     * @param args see the options.
     */
    public static void main(final String[] args)
    {
        System.exit(ChildCommands.execute(new EchoChild(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Transport transport = Peers.transport(transportName);
        final ProcessHandle parent = child.parent();
        final TransportContext context = new TransportContext(child.directory(), parent::isAlive, child.stallNanos(), streamBatch);
        final List<SizePlan> plans = SizePlan.decode(planText);
        final Map<String, String> counts = new HashMap<>();
        try (TransportSide side = transport.open(Transport.Role.CHILD, context))
        {
            Handshake.write(child.readyFile(), side.announce());
            side.connect(fromParent, null);
            out = side.sender();
            in = side.receiver();
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Transport.MAX_MESSAGE_LENGTH));
            for (int index = 0; index < plans.size(); index++)
            {
                echoPhase(index, plans.get(index), counts);
                streamPhase(index, plans.get(index), payload, counts);
            }
            Handshake.write(child.resultFile(), counts);
        }
        return 0;
    }

    private void echoPhase(final int index, final SizePlan plan, final Map<String, String> counts)
    {
        final long total = (long)plan.rttWarmup() + plan.rttCount();
        echoed = 0;
        long waits = waits();
        long wakes = wakes();
        boolean measuring = plan.rttWarmup() == 0;
        while (echoed < total)
        {
            in.receive(echo, ECHO_LIMIT);
            out.flush();
            if (!measuring && echoed >= plan.rttWarmup())
            {
                measuring = true;
                waits = waits();
                wakes = wakes();
            }
        }
        counts.put(index + ".rtt.waits", String.valueOf(waits() - waits));
        counts.put(index + ".rtt.wakes", String.valueOf(wakes() - wakes));
    }

    private void streamPhase(final int index, final SizePlan plan, final UnsafeBuffer payload, final Map<String, String> counts)
    {
        go = false;
        while (!go)
        {
            in.receive(awaitGo, 1);
        }
        final long total = (long)plan.onewayWarmup() + plan.onewayCount();
        final int size = plan.size();
        long waits = waits();
        long wakes = wakes();
        for (long sequence = 0; sequence < total; sequence++)
        {
            if (sequence == plan.onewayWarmup())
            {
                waits = waits();
                wakes = wakes();
            }
            payload.putLong(MessageLayout.SEQUENCE_OFFSET, sequence);
            payload.putLong(MessageLayout.TIMESTAMP_OFFSET,
                (sequence & MessageLayout.TIMESTAMP_SAMPLE_MASK) == 0 ? System.nanoTime() : 0);
            out.send(MessageLayout.DATA_TYPE_ID, payload, 0, size);
        }
        out.flush();
        counts.put(index + ".oneway.waits", String.valueOf(waits() - waits));
        counts.put(index + ".oneway.wakes", String.valueOf(wakes() - wakes));
    }

    private void echo(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (typeId != MessageLayout.DATA_TYPE_ID)
        {
            throw new IllegalStateException("expected a ping: typeId=" + typeId + " after " + echoed + " echoes");
        }
        out.send(typeId, buffer, offset, length);
        echoed++;
    }

    private void onGo(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (typeId != MessageLayout.GO_TYPE_ID)
        {
            throw new IllegalStateException("expected the go message: typeId=" + typeId);
        }
        go = true;
    }

    private long waits()
    {
        return out.waitCalls() + in.waitCalls();
    }

    private long wakes()
    {
        return out.wakeCalls() + in.wakeCalls();
    }
}
