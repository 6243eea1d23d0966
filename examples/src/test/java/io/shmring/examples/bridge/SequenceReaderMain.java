package io.shmring.examples.bridge;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Process B of the bridge tests: {@code SequenceReaderMain URI PROGRESS-EVERY} reads {@link SequencedFrames} until
 * the end of the stream (or 120 s), checking every byte, and prints {@code progress N} every PROGRESS-EVERY
 * frames and at the end one line:
 * <pre>
 *   result frames=F corrupt=C endOfStream=true runs=0-99999,100731-299999
 * </pre>
 * where runs are the maximal stretches of consecutive sequence numbers in arrival order.
 */
public final class SequenceReaderMain
{
    private static final int MAX_RUNS = 50;

    private long frames;
    private long corrupt;
    private long runStart = -1;
    private long next = -1;
    private final List<String> runs = new ArrayList<>();
    private long progressEvery;

    private SequenceReaderMain()
    {
    }

    /**
     * @param args URI, progress interval in frames.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final SequenceReaderMain reader = new SequenceReaderMain();
        reader.progressEvery = Long.parseLong(args[1]);
        final MessageHandler handler = reader::onFrame;
        final boolean ended;
        try (Subscriber subscriber = Transports.subscriber(args[0]))
        {
            System.out.println("ready");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!subscriber.isEndOfStream() && System.nanoTime() - deadline < 0)
            {
                subscriber.take(handler, 1024, 100, TimeUnit.MILLISECONDS);
            }
            ended = subscriber.isEndOfStream();
        }
        System.out.println(reader.result(ended));
    }

    private void onFrame(final int typeId, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        frames++;
        final long sequence = SequencedFrames.check(typeId, buffer, offset, length);
        if (sequence < 0)
        {
            corrupt++;
        }
        else if (sequence != next)
        {
            closeRun();
            runStart = sequence;
            next = sequence + 1;
        }
        else
        {
            next++;
        }
        if (frames % progressEvery == 0)
        {
            System.out.println("progress " + frames);
        }
    }

    private void closeRun()
    {
        if (runStart >= 0 && runs.size() < MAX_RUNS)
        {
            runs.add(runStart + "-" + (next - 1));
        }
    }

    private String result(final boolean ended)
    {
        closeRun();
        return "result frames=" + frames + " corrupt=" + corrupt + " endOfStream=" + ended + " runs=" + String.join(",", runs);
    }
}
