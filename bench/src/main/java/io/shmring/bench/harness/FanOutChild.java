package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One consumer process of a fan-out run ({@link FanOutRun}): joins, says it is ready, then reads until the end
 * message, checking every sequence number (lossless: each exactly once and in order; lossy: never twice, never out of
 * order, gaps counted), and writes what it received and when it saw the end (System.nanoTime, CLOCK_MONOTONIC, which
 * every process on the machine shares).
 */
@Command(name = "fanout-child", mixinStandardHelpOptions = false)
public final class FanOutChild implements Callable<Integer>
{
    /** The message after the last data message. */
    static final int END_TYPE_ID = 3;

    private static final int LIMIT = 256;

    @Mixin
    private ChildOptions child;

    @Option(names = "--peer", required = true)
    private String peerName;

    @Option(names = "--index", required = true)
    private int index;

    @Option(names = "--size", required = true)
    private int size;

    @Option(names = "--measured-from", required = true)
    private long measuredFrom;

    private boolean lossless;
    private long expected;
    private long received;
    private long measuredReceived;
    private long endNs;
    private final MessageHandler onMessage = this::onMessage;

    private FanOutChild()
    {
    }

    /**
     * @param args see the options.
     */
    public static void main(final String[] args)
    {
        System.exit(ChildCommands.execute(new FanOutChild(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        final FanOutPeer peer = FanOutPeer.PEERS.byName(peerName);
        lossless = peer.lossless();
        final ProcessHandle parent = child.parent();
        final SpinWait spin = new SpinWait(peerName + " consumer " + index, parent::isAlive, child.stallNanos());
        try (FanOutPeer.Consumer consumer = peer.consumer(child.directory(), index))
        {
            Handshake.write(child.readyFile(), Map.of("index", String.valueOf(index)));
            while (endNs == 0)
            {
                if (consumer.poll(onMessage, LIMIT) == 0)
                {
                    spin.idle();
                }
                else
                {
                    spin.reset();
                }
            }
            Handshake.write(child.resultFile(), Map.of(
                "received", String.valueOf(received),
                "measuredReceived", String.valueOf(measuredReceived),
                "next", String.valueOf(expected),
                "laps", String.valueOf(consumer.laps()),
                "endNs", String.valueOf(endNs)));
        }
        return 0;
    }

    private void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (typeId == END_TYPE_ID)
        {
            endNs = System.nanoTime();
            return;
        }
        final long sequence = buffer.getLong(offset + MessageLayout.SEQUENCE_OFFSET);
        if (typeId != MessageLayout.DATA_TYPE_ID || length != size || sequence < expected || lossless && sequence != expected)
        {
            throw new IllegalStateException(peerName + " consumer " + index + ": expected sequence " +
                (lossless ? "" : ">= ") + expected + " of " + size + " B, got typeId=" + typeId + " sequence=" + sequence +
                " length=" + length);
        }
        expected = sequence + 1;
        received++;
        if (sequence >= measuredFrom)
        {
            measuredReceived++;
        }
    }
}
