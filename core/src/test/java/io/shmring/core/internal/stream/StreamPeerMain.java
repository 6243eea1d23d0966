package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The other process of the cross-process stream tests, started with {@link io.shmring.core.internal.ChildJvm}:
 * <pre>
 *   StreamPeerMain subscribe URI          print "ready [port=N] fds=N", then "frame TYPE LENGTH" per frame,
 *                                         "failed MESSAGE" per broken stream (or dropped connection), "end" at each end of stream;
 *                                         exit 0 when stdin closes
 *   StreamPeerMain subscribe URI churn    the same, with a thread that opens and closes /dev/null over and over (holding
 *                                         it 1 ms, then 1 ms without), as the JVM's own container support opens files
 *   StreamPeerMain publish URI COUNT      send COUNT 8-byte frames, close, print "sent COUNT";
 *                                         on a failure print "error CLASS MESSAGE" and exit 2
 *   StreamPeerMain vanish PATH PORT FIFO  write two frames and the first 20 bytes of a 108-byte frame to a
 *                                         uds: socket, a tcp: port, a FIFO and stdout, print "ready" on
 *                                         stderr, then wait to be killed
 * </pre>
 * Anything unexpected: stack trace on stderr, exit 1.
 */
public final class StreamPeerMain
{
    private StreamPeerMain()
    {
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        try
        {
            switch (args[0])
            {
                case "subscribe":
                    if (args.length > 2 && "churn".equals(args[2]))
                    {
                        startDescriptorChurn();
                    }
                    subscribe(args[1]);
                    break;
                case "publish":
                    publish(args[1], Integer.parseInt(args[2]));
                    break;
                case "vanish":
                    vanish(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + args[0]);
            }
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            System.err.println("StreamPeerMain " + String.join(" ", args) + " failed:");
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static void subscribe(final String uri) throws Exception
    {
        final PrintStream out = System.out;
        final Thread stdinWatch = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    continue; // the parent closes stdin to stop this process
                }
            }
            catch (final IOException ignore)
            {
                // stdin gone: stop too
            }
        }, "stdin-watch");
        stdinWatch.setDaemon(true);
        try (Subscriber subscriber = Transports.subscriber(uri))
        {
            final String port = subscriber instanceof SocketSubscriber &&
                ((SocketSubscriber)subscriber).localAddress() instanceof InetSocketAddress ?
                " port=" + ((InetSocketAddress)((SocketSubscriber)subscriber).localAddress()).getPort() : "";
            stdinWatch.start();
            out.println("ready" + port + " fds=" + openDescriptors());
            out.flush();
            boolean ended = false;
            FrameStreamException dropped = null;
            while (stdinWatch.isAlive())
            {
                try
                {
                    subscriber.take((typeId, buffer, offset, length) -> out.println("frame " + typeId + " " + length),
                        64, 50, TimeUnit.MILLISECONDS);
                }
                catch (final FrameStreamException ex)
                {
                    out.println("failed " + ex.getMessage());
                }
                if (subscriber instanceof SocketSubscriber && ((SocketSubscriber)subscriber).lastPeerFailure() != dropped)
                {
                    dropped = ((SocketSubscriber)subscriber).lastPeerFailure(); // a socket subscriber drops the connection
                    out.println("failed " + dropped.getMessage());
                }
                if (subscriber.isEndOfStream() != ended)
                {
                    ended = !ended;
                    if (ended)
                    {
                        out.println("end");
                    }
                }
                out.flush();
            }
        }
    }

    private static void publish(final String uri, final int count) throws InterruptedException
    {
        try (Publisher publisher = Transports.publisher(uri))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < count; i++)
            {
                payload.putLong(0, i);
                if (!publisher.offer(i, payload, 0, 8, 20, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("no peer within 20 s for frame " + i);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            System.out.println("error " + ex.getClass().getName() + " " + ex.getMessage());
            System.out.flush();
            System.exit(2);
        }
        System.out.println("sent " + count);
    }

    private static void vanish(final Path socket, final int port, final Path fifo) throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocateDirect(2 * 16 + 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++)
        {
            bytes.putInt(16).putInt(i).putLong(1000 + i);
        }
        bytes.putInt(108).putInt(2).putLong(0).putInt(0).flip();
        final WritableByteChannel uds = io.shmring.core.test.RawSocketPeer.connectUds(socket);
        final WritableByteChannel tcp = io.shmring.core.test.RawSocketPeer.connectTcp(port);
        final WritableByteChannel fifoWriter = Fifo.tryOpenWriter(fifo);
        final WritableByteChannel stdout = StandardStreams.stdout();
        for (final WritableByteChannel channel : new WritableByteChannel[] {uds, tcp, fifoWriter, stdout})
        {
            final ByteBuffer copy = bytes.duplicate();
            while (copy.hasRemaining())
            {
                channel.write(copy);
            }
        }
        System.err.println("ready");
        System.err.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // the parent kills this process before
        throw new IllegalStateException("not killed within 2 minutes");
    }

    private static void startDescriptorChurn()
    {
        final Thread churn = new Thread(() ->
        {
            while (true)
            {
                try (FileChannel file = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ))
                {
                    Thread.sleep(1);
                }
                catch (final IOException ex)
                {
                    // out of descriptors: try again
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }, "descriptor-churn");
        churn.setDaemon(true);
        churn.start();
    }

    private static long openDescriptors() throws IOException
    {
        try (var entries = Files.list(Path.of("/proc/self/fd")))
        {
            return entries.count();
        }
    }
}
