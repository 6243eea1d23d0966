package io.shmring.bench.harness;

import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One process of a fan-in run ({@link FanInRun}), the consumer or a producer.
 * <p>
 * The consumer opens its end, says it is ready, and reads until every producer's end message came, checking every
 * message ({@link FanInChecker}); then writes how many data messages each producer delivered and when the last end
 * came. A producer opens (registers) its end, says it is ready, waits for the parent's {@link StartLine start}, sends
 * its warm-up and measured messages as fast as the ring takes them and an end message, and writes when it sent its
 * first measured message. Times are {@link System#nanoTime()} (CLOCK_MONOTONIC, which every process on the machine
 * shares).
 */
@Command(name = "fanin-child", mixinStandardHelpOptions = false)
public final class FanInChild implements Callable<Integer>
{
    private static final int LIMIT = 256;

    /**
     * What a child does.
     */
    enum Role
    {
        /** Reads every producer's messages. */
        CONSUMER,
        /** Sends its share of the messages. */
        PRODUCER
    }

    @Mixin
    private ChildOptions child;

    @Option(names = "--role", required = true)
    private Role role;

    @Option(names = "--peer", required = true)
    private String peerName;

    @Option(names = "--producers", required = true)
    private int producers;

    @Option(names = "--index", description = "This producer's index, 0 to producers - 1 (producers only).")
    private int index;

    @Option(names = "--size", required = true)
    private int size;

    @Option(names = "--warmup", description = "Messages this producer sends before the measured ones (producers only).")
    private long warmup;

    @Option(names = "--count", description = "Measured messages this producer sends (producers only).")
    private long count;

    @Option(names = "--start-file", description = "The parent's start line (producers only).")
    private Path startFile;

    private FanInChild()
    {
    }

    /**
     * @param args see the options.
     */
    public static void main(final String[] args)
    {
        System.exit(ChildCommands.execute(new FanInChild(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        checkOptions();
        final FanInPeer peer = FanInPeer.PEERS.byName(peerName);
        final ProcessHandle parent = child.parent();
        final long stallNanos = child.stallNanos();
        final String what = peerName + (role == Role.CONSUMER ? " consumer" : " producer " + index);
        final SpinWait spin = new SpinWait(what, parent::isAlive, stallNanos);
        if (role == Role.CONSUMER)
        {
            consume(peer, spin);
        }
        else
        {
            produce(peer, spin, parent, stallNanos);
        }
        return 0;
    }

    private void checkOptions()
    {
        if (producers < 1 || size < MessageLayout.MIN_SIZE ||
            role == Role.PRODUCER && (index < 0 || index >= producers || warmup < 0 || count < 0 || startFile == null))
        {
            throw new IllegalArgumentException("fan-in child: producers >= 1, size >= " + MessageLayout.MIN_SIZE +
                "; a producer needs 0 <= index < producers, counts >= 0 and a start file: role=" + role + " producers=" +
                producers + " size=" + size + " index=" + index + " warmup=" + warmup + " count=" + count + " startFile=" +
                startFile);
        }
    }

    private void consume(final FanInPeer peer, final SpinWait spin) throws Exception
    {
        final FanInChecker checker = new FanInChecker(producers, size);
        try (Receiver receiver = peer.consumer(child.directory(), spin))
        {
            Handshake.write(child.readyFile(), Map.of("role", "consumer",
                "pid", String.valueOf(ProcessHandle.current().pid())));
            while (!checker.done())
            {
                receiver.receive(checker, LIMIT);
            }
        }
        final Map<String, String> result = new HashMap<>();
        result.put("endNs", String.valueOf(checker.endNs()));
        for (int i = 0; i < producers; i++)
        {
            result.put("received-" + i, String.valueOf(checker.received(i)));
        }
        Handshake.write(child.resultFile(), result);
    }

    private void produce(final FanInPeer peer, final SpinWait spin, final ProcessHandle parent, final long stallNanos)
        throws Exception
    {
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        payload.putLong(MessageLayout.PRODUCER_OFFSET, index);
        final long total = warmup + count;
        long start;
        try (StartLine startLine = StartLine.open(startFile); Sender sender = peer.producer(child.directory(), spin))
        {
            Handshake.write(child.readyFile(), Map.of("role", "producer", "index", String.valueOf(index),
                "pid", String.valueOf(ProcessHandle.current().pid())));
            startLine.await(parent::isAlive, stallNanos);
            start = System.nanoTime();
            for (long sequence = 0; sequence < total; sequence++)
            {
                if (sequence == warmup)
                {
                    start = System.nanoTime();
                }
                payload.putLong(MessageLayout.SEQUENCE_OFFSET, sequence);
                sender.send(MessageLayout.DATA_TYPE_ID, payload, 0, size);
            }
            payload.putLong(MessageLayout.SEQUENCE_OFFSET, total);
            sender.send(FanInChecker.END_TYPE_ID, payload, 0, size);
        }
        Handshake.write(child.resultFile(), Map.of("startNs", String.valueOf(start), "sent", String.valueOf(total)));
    }
}
