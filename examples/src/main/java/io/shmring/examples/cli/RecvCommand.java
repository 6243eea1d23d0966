package io.shmring.examples.cli;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring recv <uri>}: prints each frame's payload as one line on stdout, as UTF-8 text or hex.
 * Ends with exit code 0 at the end of the stream (every publisher closed), or, with {@code --count}, after that
 * many frames (the end of one stream does not stop it then: a publisher that starts later is waited for), and
 * with {@link #EXIT_TIMEOUT} when {@code --timeout} seconds pass without a frame. A {@code shm:} ring stays in
 * place when it exits, so the next {@code recv} resumes at the first frame this one did not print.
 */
@Command(name = "recv", mixinStandardHelpOptions = true,
    description = "Print each frame from a transport URI as one line on stdout, until the stream ends.")
public final class RecvCommand implements Callable<Integer>
{
    /** Exit code when {@code --timeout} ended the command. */
    public static final int EXIT_TIMEOUT = 3;

    /** How often a {@code --count} still short after the end of a stream looks for a new one. */
    private static final long END_OF_STREAM_POLL_MS = 10;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<uri>", description = "Transport URI, e.g. shm:/dev/shm/md or uds:/tmp/md.sock.")
    private String uri;

    @Option(names = "--hex", description = "Print payloads as hex bytes instead of UTF-8 text.")
    private boolean hex;

    @Option(names = "--type-id", description = "Prefix each line with the frame's type id and a tab.")
    private boolean showTypeId;

    @Option(names = "--count", description = "Stop after this many frames; the end of a stream does not stop it early, " +
        "a later publisher's frames count too (default: until the stream ends).")
    private long count = Long.MAX_VALUE;

    @Option(names = "--timeout", description = "Stop (exit code 3) after this many seconds without a frame (default: wait forever).")
    private long timeoutSeconds = 0;

    private long received;

    @Override
    public Integer call() throws Exception
    {
        if (count < 0 || timeoutSeconds < 0)
        {
            throw new IllegalArgumentException("--count and --timeout must not be negative: count=" + count +
                " timeout=" + timeoutSeconds);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final HexFormat hexFormat = HexFormat.of();
        final MessageHandler printer = (typeId, buffer, offset, length) ->
        {
            if (showTypeId)
            {
                out.print(typeId);
                out.print('\t');
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            out.println(hex ? hexFormat.formatHex(bytes) : new String(bytes, StandardCharsets.UTF_8));
            received++;
        };
        // wait in slices of at most a second, so the end of the stream and the timeout are checked now and then
        final long sliceNs = TimeUnit.SECONDS.toNanos(timeoutSeconds == 0 ? 1 : Math.min(1, timeoutSeconds));
        final long timeoutNs = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastFrameNs = System.nanoTime();
        try (Subscriber subscriber = Transports.subscriber(uri))
        {
            while (received < count)
            {
                final int limit = (int)Math.min(256, count - received);
                final int delivered = subscriber.take(printer, limit, sliceNs, TimeUnit.NANOSECONDS);
                out.flush();
                if (delivered > 0)
                {
                    lastFrameNs = System.nanoTime();
                    continue;
                }
                if (subscriber.isEndOfStream())
                {
                    if (count == Long.MAX_VALUE)
                    {
                        return 0;
                    }
                    TimeUnit.MILLISECONDS.sleep(END_OF_STREAM_POLL_MS); // the count is not reached: a later publisher may come
                }
                if (timeoutSeconds > 0 && System.nanoTime() - lastFrameNs >= timeoutNs)
                {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": no frame within " + timeoutSeconds +
                        " s; received " + received + ": uri=" + uri);
                    return EXIT_TIMEOUT;
                }
            }
        }
        return 0;
    }
}
