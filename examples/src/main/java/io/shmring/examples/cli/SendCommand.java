package io.shmring.examples.cli;

import io.shmring.core.Publisher;
import io.shmring.core.TransportUri;
import io.shmring.core.Transports;
import io.shmring.core.internal.stream.StreamPublisher;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring send <uri>}: each line of stdin (without its line end) becomes one frame; at the end of
 * stdin the publisher closes, which a {@code recv} on the other side sees as the end of the stream.
 * A line the transport cannot take (too long, no space or no subscriber within {@code --timeout}) is an
 * error naming which (for {@code uds:} and {@code fifo:}, also whether the path exists); the lines before it stay sent. A {@code tcp:} address where nothing listens is refused at once
 * ("connection refused", exit 1), not waited for. So is a peer that refuses this publisher (a {@code uds:}
 * subscriber's {@code allowUid}, a socket subscriber's {@code maxConnections}) or a file or listener this
 * user must not trust: exit code 1, nothing sent.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send each line of stdin as one frame to a transport URI (shm:, uds:, fifo:, tcp:, pipe:).")
public final class SendCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<uri>", description = "Transport URI, e.g. shm:/dev/shm/md or uds:/tmp/md.sock.")
    private String uri;

    @Option(names = "--hex", description = "Lines are hex bytes (e.g. 68656c6c6f), not text.")
    private boolean hex;

    @Option(names = "--type-id", description = "Type id of every frame, >= 0 (default: ${DEFAULT-VALUE}).")
    private int typeId = 0;

    @Option(names = "--timeout", description = "Seconds to wait for space or a peer, per line (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds = 10;

    @Override
    public Integer call() throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
        try (Publisher publisher = Transports.publisher(uri))
        {
            refuseIfRefused(publisher);
            try
            {
                sendLines(publisher, in, payload);
            }
            catch (final IOException | InterruptedException | RuntimeException ex)
            {
                // gave up before stdin ended: no end of stream, so a recv does not take what it read for the whole of it
                publisher.closeBrokenOff();
                throw ex;
            }
        }
        return 0;
    }

    private void sendLines(final Publisher publisher, final BufferedReader in, final UnsafeBuffer payload)
        throws IOException, InterruptedException
    {
        long sent = 0;
        String line;
        while ((line = in.readLine()) != null)
        {
            final byte[] bytes = hex ? parseHex(line, sent + 1) : line.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > publisher.maxMessageLength())
            {
                throw new IllegalArgumentException("line " + (sent + 1) + " is longer than the transport's max message: length=" +
                    bytes.length + " maxMessageLength=" + publisher.maxMessageLength() + " (" + sent + " lines sent)");
            }
            payload.wrap(bytes);
            if (!publisher.offer(typeId, payload, 0, bytes.length, timeoutSeconds, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(notTaken(publisher, timeoutSeconds + " s for line " + (sent + 1) +
                    " (" + sent + " lines sent): uri=" + uri));
            }
            sent++;
        }
        publisher.flush();
    }

    /**
     * A TCP publisher tries to connect once when it is made; a refusal then means nothing listens at the port, which
     * {@code send} says at once instead of waiting for a peer (a {@code uds:} socket file may still be coming: those wait).
     */
    private void refuseIfRefused(final Publisher publisher)
    {
        if ("tcp".equals(TransportUri.parse(uri).scheme()) && publisher instanceof StreamPublisher stream &&
            !stream.isConnected())
        {
            throw new IllegalStateException("connection refused: nothing listens at " + uri);
        }
    }

    /**
     * Why an offer ran out its timeout: a stream publisher that never connected had no subscriber (for {@code uds:} and
     * {@code fifo:}, say when the path does not exist at all); anything else had no space.
     *
     * @param where the wait and the line, for the message.
     * @return the error message.
     */
    private String notTaken(final Publisher publisher, final String where)
    {
        if (!(publisher instanceof StreamPublisher stream) || stream.isConnected())
        {
            return "no space within " + where;
        }
        final TransportUri parsed = TransportUri.parse(uri);
        final String scheme = parsed.scheme();
        if (("uds".equals(scheme) || "fifo".equals(scheme)) && !Files.exists(Path.of(parsed.path()), LinkOption.NOFOLLOW_LINKS))
        {
            return "no subscriber within " + where + ": " + parsed.path() + " does not exist (start recv first, or wait " +
                "longer with --timeout)";
        }
        return "no subscriber connected within " + where;
    }

    private static byte[] parseHex(final String line, final long lineNumber)
    {
        try
        {
            return HexFormat.of().parseHex(line.strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("line " + lineNumber + " is not hex bytes: " + ex.getMessage(), ex);
        }
    }
}
