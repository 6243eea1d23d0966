package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.examples.pingpong.EchoMain;
import io.shmring.examples.pingpong.ReplyUri;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring pingpong <uri>}: round-trip latency over any transport. An echo process
 * ({@link EchoMain}, a child JVM) subscribes on {@code <uri>} and sends every frame back on the reply URI
 * ({@code --reply}, or derived by {@link ReplyUri}); this process sends one ping at a time, waits for its
 * echo, checks it carries the same sequence number and length, and records the round trip in an
 * HdrHistogram. Both sides wait as the URI says (e.g. {@code shm:...?wait=spin} spins; the default
 * {@code backoff} parks).
 */
@Command(name = "pingpong", mixinStandardHelpOptions = true,
    description = "Measure round-trip latency over a transport URI with an echo child process.")
public final class PingPongCommand implements Callable<Integer>
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_SLICE_MS = 100;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<uri>", description = "Where pings go, e.g. shm:/dev/shm/pp?wait=spin or uds:/tmp/pp.sock.")
    private String uri;

    @Option(names = "--reply", paramLabel = "<uri>",
        description = "Where echoes come back (default: <uri> with -pong after the path; for tcp: the next port).")
    private String replyUri;

    @Option(names = "--count", description = "Round trips measured (default: ${DEFAULT-VALUE}).")
    private int count = 10_000;

    @Option(names = "--warmup", description = "Round trips before measuring (default: ${DEFAULT-VALUE}).")
    private int warmup = 1_000;

    @Option(names = "--size", description = "Payload bytes, >= 8 (default: ${DEFAULT-VALUE}).")
    private int size = 64;

    @Option(names = "--timeout", description = "Seconds to wait for the echo process and for each echo (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds = 20;

    private long echoedSequence;
    private int echoedLength;

    @Override
    public Integer call() throws Exception
    {
        checkOptions();
        final String reply = replyUri != null ? replyUri : ReplyUri.derive(uri);
        final PrintWriter out = spec.commandLine().getOut();
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        final Process echo;
        try (Subscriber replies = Transports.subscriber(reply))
        {
            echo = ChildJvm.builder(EchoMain.class, List.of("-Xmx128m"), List.of(uri, reply, String.valueOf(timeoutSeconds)))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
            try
            {
                out.printf("pingpong: %s -> echo pid %d -> %s%n", uri, echo.pid(), reply);
                out.flush();
                try (Publisher pings = Transports.publisher(uri))
                {
                    if (size > pings.maxMessageLength())
                    {
                        throw new IllegalArgumentException("--size is larger than the transport's max message: size=" + size +
                            " maxMessageLength=" + pings.maxMessageLength());
                    }
                    run(pings, replies, echo, histogram);
                }
                if (!echo.waitFor(timeoutSeconds, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("echo process did not end within " + timeoutSeconds + " s of the last ping");
                }
            }
            finally
            {
                if (echo.isAlive())
                {
                    echo.destroyForcibly();
                }
            }
        }
        report(out, histogram);
        if (echo.exitValue() != 0)
        {
            throw new IllegalStateException("echo process failed: exit code " + echo.exitValue());
        }
        return 0;
    }

    private void checkOptions()
    {
        if (size < Long.BYTES)
        {
            throw new IllegalArgumentException("--size must be at least " + Long.BYTES + " (the sequence number): size=" + size);
        }
        if (count < 1 || warmup < 0)
        {
            throw new IllegalArgumentException("--count must be >= 1 and --warmup >= 0: count=" + count + " warmup=" + warmup);
        }
        if (timeoutSeconds < 1)
        {
            throw new IllegalArgumentException("--timeout must be >= 1 s: timeout=" + timeoutSeconds);
        }
    }

    private void run(final Publisher pings, final Subscriber replies, final Process echo, final Histogram histogram)
        throws InterruptedException
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[size]);
        final MessageHandler onEcho = (typeId, buffer, offset, length) ->
        {
            echoedSequence = length >= Long.BYTES ? buffer.getLong(offset) : -1;
            echoedLength = length;
        };
        final long total = (long)warmup + count;
        for (long sequence = 0; sequence < total; sequence++)
        {
            payload.putLong(0, sequence);
            final long start = System.nanoTime();
            if (!pings.offer(0, payload, 0, size, timeoutSeconds, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("could not send ping " + sequence + " within " + timeoutSeconds + " s: uri=" + uri);
            }
            pings.flush();
            awaitEcho(replies, onEcho, echo, sequence);
            final long roundTripNs = System.nanoTime() - start;
            if (echoedSequence != sequence || echoedLength != size)
            {
                throw new IllegalStateException("echo does not match its ping: sent sequence=" + sequence + " length=" + size +
                    ", got sequence=" + echoedSequence + " length=" + echoedLength);
            }
            if (sequence >= warmup)
            {
                histogram.recordValue(Math.min(roundTripNs, HIGHEST_TRACKABLE_NS));
            }
        }
    }

    private void awaitEcho(final Subscriber replies, final MessageHandler onEcho, final Process echo, final long sequence)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // take returns as soon as the echo arrives; the slices only bound how late a dead echo process is noticed
        while (replies.take(onEcho, 1, POLL_SLICE_MS, TimeUnit.MILLISECONDS) == 0)
        {
            if (!echo.isAlive())
            {
                throw new IllegalStateException("echo process exited (code " + echo.exitValue() + ") before echoing ping " + sequence);
            }
            if (replies.isEndOfStream() || System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("no echo of ping " + sequence + " within " + timeoutSeconds + " s: reply uri=" +
                    (replyUri != null ? replyUri : ReplyUri.derive(uri)));
            }
        }
    }

    private void report(final PrintWriter out, final Histogram histogram)
    {
        out.printf("pingpong: %,d round trips of %d B after %,d warm-up%n", histogram.getTotalCount(), size, warmup);
        out.printf("rtt us: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
            micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(90)),
            micros(histogram.getValueAtPercentile(99)), micros(histogram.getValueAtPercentile(99.9)),
            micros(histogram.getMaxValue()), histogram.getMean() / 1_000.0);
        out.flush();
    }

    private static double micros(final long nanos)
    {
        return nanos / 1_000.0;
    }
}
