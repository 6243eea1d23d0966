package io.shmring.examples.cli;

import io.shmring.aeron.AeronSubscriber;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.examples.bridge.Bridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmring bridge FROM-URI TO-URI}: forwards every frame from one transport to another (a {@link Bridge}),
 * printing counts and rates on stderr, until the source's end of stream (which it passes on by closing the
 * destination) or SIGTERM/SIGINT (a clean stop: frames not yet read stay in the source). Exit 0 for both, 1
 * when a frame cannot be forwarded. All output goes to stderr: stdout may be a transport ({@code pipe:stdout}).
 */
@Command(name = "bridge", mixinStandardHelpOptions = true,
    description = {"Forward every frame from FROM-URI to TO-URI (any transports), with live counts and rates on stderr.",
        "Back-pressure is waited out, never dropped. Stops at the source's end of stream (passing it on) or on SIGTERM/SIGINT."})
public final class BridgeCommand implements Callable<Integer>
{
    /** Printed (on stderr) once the source is open, with the URI its publishers use. */
    public static final String READY = "bridge: source ready: ";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FROM-URI", description = "Source, e.g. shm:/dev/shm/md?keep=true or aeron:udp?endpoint=0.0.0.0:40123.")
    private String from;

    @Parameters(index = "1", paramLabel = "TO-URI", description = "Destination, e.g. aeron:udp?endpoint=10.0.0.2:40123 or shm:/dev/shm/md.")
    private String to;

    @Option(names = "--interval", description = "Seconds between count lines; 0 for none (default: ${DEFAULT-VALUE}).")
    private double intervalSeconds = 1;

    @Option(names = "--batch", description = "Most frames per read of the source (default: ${DEFAULT-VALUE}).")
    private int batch = 256;

    @Option(names = "--follow", description = "Keep forwarding after the source's end of stream (a new publisher may come).")
    private boolean follow;

    @Option(names = "--sequence-offset", paramLabel = "BYTES",
        description = "Check an int64 little-endian sequence at this payload offset: report gaps and steps back.")
    private int sequenceOffset = -1;

    @Option(names = "--stop-timeout", description = "Seconds a stop keeps offering a frame already read (default: ${DEFAULT-VALUE}).")
    private double stopTimeoutSeconds = 5;

    private volatile boolean stopRequested;

    @Override
    public Integer call() throws Exception
    {
        if (intervalSeconds < 0 || stopTimeoutSeconds < 0)
        {
            throw new IllegalArgumentException("--interval and --stop-timeout must not be negative: interval=" +
                intervalSeconds + " stop-timeout=" + stopTimeoutSeconds);
        }
        final Bridge.Settings settings = new Bridge.Settings(batch, seconds(intervalSeconds), follow, sequenceOffset,
            seconds(stopTimeoutSeconds));
        final PrintWriter err = spec.commandLine().getErr();
        final boolean signals = StopSignals.install(() -> stopRequested = true);
        final Bridge.Outcome outcome;
        final Bridge bridge;
        try (Subscriber source = Transports.subscriber(from))
        {
            err.println("bridge: forwarding " + from + " -> " + to + (signals ? "" : " (SIGTERM/SIGINT not caught)"));
            err.println(READY + (source instanceof AeronSubscriber ? ((AeronSubscriber)source).publisherUri() : from));
            err.flush();
            try (Publisher destination = Transports.publisher(to))
            {
                bridge = new Bridge(source, destination, settings, (line) ->
                {
                    err.println(line);
                    err.flush();
                });
                outcome = bridge.run(() -> stopRequested);
            }
        }
        if (outcome == Bridge.Outcome.FAILED)
        {
            throw new IllegalStateException(bridge.failure());
        }
        return 0;
    }

    private static long seconds(final double seconds)
    {
        return (long)(seconds * TimeUnit.SECONDS.toNanos(1));
    }
}
