package io.shmring.core.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A publisher written from the protocol text (docs/LAYOUT.md section 1.1) rather than from shmring's
 * classes, as a C peer would be: connect, read the subscriber's 8-byte hello, answer an accepting one with the
 * publisher's 8-byte hello, then write raw bytes.
 */
public final class RawSocketPeer
{
    /** Hello status: accepted. */
    public static final int ACCEPTED = 0;

    private static final long HELLO_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(20);
    private static final byte[] PUBLISHER_HELLO = {'S', 'H', 'M', 'P', 2, 0, 0, 0};

    private RawSocketPeer()
    {
    }

    /**
     * @param path a {@code uds:} subscriber's socket.
     * @return a blocking channel the subscriber accepted.
     * @throws IOException if connecting fails.
     */
    public static SocketChannel connectUds(final Path path) throws IOException
    {
        return answered(acceptedUds(path));
    }

    /**
     * Connect and read the subscriber's accepting hello, but send no hello back: a connection that never becomes a
     * publisher.
     *
     * @param path a {@code uds:} subscriber's socket.
     * @return a blocking channel the subscriber accepted.
     * @throws IOException if connecting fails.
     */
    public static SocketChannel acceptedUds(final Path path) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return accepted(channel);
    }

    /**
     * @param port a {@code tcp:} subscriber's port on 127.0.0.1.
     * @return a blocking channel the subscriber accepted.
     * @throws IOException if connecting fails.
     */
    public static SocketChannel connectTcp(final int port) throws IOException
    {
        return answered(acceptedTcp(port));
    }

    /**
     * Connect and read the subscriber's accepting hello, but send no hello back: a connection that never becomes a
     * publisher.
     *
     * @param port a {@code tcp:} subscriber's port on 127.0.0.1.
     * @return a blocking channel the subscriber accepted.
     * @throws IOException if connecting fails.
     */
    public static SocketChannel acceptedTcp(final int port) throws IOException
    {
        return accepted(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
    }

    /**
     * Send the publisher's hello (after an accepting subscriber hello): the connection is a publisher from now on.
     *
     * @param channel a blocking connection whose subscriber hello said accepted.
     * @throws IOException if writing fails.
     */
    public static void answerHello(final SocketChannel channel) throws IOException
    {
        final ByteBuffer hello = ByteBuffer.wrap(PUBLISHER_HELLO.clone());
        while (hello.hasRemaining())
        {
            channel.write(hello);
        }
    }

    /**
     * Read the hello (waiting at most 20 s) and return its status, or -1 if the connection closed first.
     *
     * @param channel a connection just made.
     * @return the status byte, or -1.
     * @throws IOException if reading fails, the bytes are no hello, or none comes in time.
     */
    public static int readHelloStatus(final SocketChannel channel) throws IOException
    {
        final ByteBuffer hello = ByteBuffer.allocate(8);
        channel.configureBlocking(false);
        try (Selector selector = Selector.open())
        {
            channel.register(selector, SelectionKey.OP_READ);
            final long deadline = System.currentTimeMillis() + HELLO_TIMEOUT_MS;
            while (hello.hasRemaining())
            {
                final int bytes = channel.read(hello);
                if (bytes < 0)
                {
                    return -1;
                }
                if (bytes == 0)
                {
                    if (System.currentTimeMillis() > deadline)
                    {
                        throw new IOException("no hello within " + HELLO_TIMEOUT_MS + " ms");
                    }
                    selector.select(100);
                    selector.selectedKeys().clear();
                }
            }
        }
        channel.configureBlocking(true);
        if (hello.get(0) != 'S' || hello.get(1) != 'H' || hello.get(2) != 'M' || hello.get(3) != 'R' || hello.get(4) != 2 ||
            hello.get(6) != 0 || hello.get(7) != 0)
        {
            throw new IOException("not a version 2 hello: " + java.util.HexFormat.of().formatHex(hello.array()));
        }
        return hello.get(5);
    }

    private static SocketChannel answered(final SocketChannel channel) throws IOException
    {
        try
        {
            answerHello(channel);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static SocketChannel accepted(final SocketChannel channel) throws IOException
    {
        try
        {
            final int status = readHelloStatus(channel);
            if (status != ACCEPTED)
            {
                throw new IOException("subscriber did not accept: status=" + status);
            }
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }
}
