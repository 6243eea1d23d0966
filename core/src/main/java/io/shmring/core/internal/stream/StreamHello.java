package io.shmring.core.internal.stream;

import io.shmring.core.PeerRefusedException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The subscriber's answer to a new socket connection ({@code uds:}, {@code tcp:}; docs/LAYOUT.md section
 * 1.1): 8 bytes, the ASCII magic {@code SHMR}, version 1, a status, two zero bytes, written once before
 * anything else flows. The publisher sends no frame before it read an accepting hello; a refusing one is
 * followed by the subscriber closing the connection. Nothing flows from subscriber to publisher after it.
 */
final class StreamHello
{
    /** Bytes of a hello. */
    static final int LENGTH = 8;
    /** Protocol version carried in byte 4. */
    static final byte VERSION = 1;

    /** Status: accepted; frames may follow. */
    static final byte ACCEPTED = 0;
    /** Status: the subscriber's peer check (allowUid) refused this publisher. */
    static final byte REFUSED_PEER = 1;
    /** Status: the subscriber has as many publishers as its maxConnections. */
    static final byte REFUSED_LIMIT = 2;
    /** Status: the subscriber ran out of file descriptors. */
    static final byte REFUSED_RESOURCES = 3;

    private static final byte[] MAGIC = {'S', 'H', 'M', 'R'};
    private static final int VERSION_OFFSET = 4;
    private static final int STATUS_OFFSET = 5;

    private StreamHello()
    {
    }

    /**
     * @param status one of the status constants.
     * @return a hello carrying it, ready to write.
     */
    static ByteBuffer encode(final byte status)
    {
        final ByteBuffer hello = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        hello.put(MAGIC).put(VERSION).put(status).put((byte)0).put((byte)0).flip();
        return hello;
    }

    /**
     * Write a hello on a fresh blocking connection (its send buffer is empty: the write does not wait).
     *
     * @param channel the accepted connection, blocking.
     * @param status  what to tell the publisher.
     * @throws IOException if the write fails.
     */
    static void send(final SocketChannel channel, final byte status) throws IOException
    {
        final ByteBuffer hello = encode(status);
        while (hello.hasRemaining())
        {
            channel.write(hello);
        }
    }

    /**
     * Wait for the subscriber's hello on a connected channel, then leave the channel blocking.
     *
     * @param channel   a connected channel (blocking or not).
     * @param timeoutNs longest wait.
     * @param name      the endpoint, for messages.
     * @throws PeerRefusedException if the hello refuses, the connection closes first, or none comes in time.
     * @throws IOException          if reading fails, the bytes are not a hello, or the thread is interrupted.
     */
    static void await(final SocketChannel channel, final long timeoutNs, final String name) throws IOException
    {
        final ByteBuffer hello = ByteBuffer.allocate(LENGTH);
        final long deadline = System.nanoTime() + timeoutNs;
        channel.configureBlocking(false);
        try (Selector selector = Selector.open())
        {
            channel.register(selector, SelectionKey.OP_READ);
            while (hello.hasRemaining())
            {
                final int bytes = channel.read(hello);
                if (bytes < 0)
                {
                    throw new PeerRefusedException(name + ": the subscriber closed the connection without accepting " +
                        "this publisher (received " + hello.position() + " of " + LENGTH + " hello bytes)");
                }
                if (bytes > 0)
                {
                    continue;
                }
                if (Thread.currentThread().isInterrupted())
                {
                    throw new InterruptedIOException(name + ": interrupted while waiting for the subscriber to accept");
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    throw new PeerRefusedException(name + ": the subscriber did not accept this publisher within " +
                        timeoutNs / 1_000_000 + " ms (received " + hello.position() + " of " + LENGTH + " hello bytes)");
                }
                selector.select(Math.max(1, (remaining + 999_999) / 1_000_000));
                selector.selectedKeys().clear();
            }
        }
        channel.configureBlocking(true); // the selector is closed, so the channel is no longer registered
        check(hello.flip(), name);
    }

    private static void check(final ByteBuffer hello, final String name) throws IOException
    {
        for (int i = 0; i < MAGIC.length; i++)
        {
            if (hello.get(i) != MAGIC[i])
            {
                throw new IOException(name + ": the peer is not a shmring subscriber (its first bytes are not a hello): " +
                    hex(hello));
            }
        }
        if (hello.get(VERSION_OFFSET) != VERSION)
        {
            throw new IOException(name + ": unsupported hello version " + hello.get(VERSION_OFFSET) + " (expected " +
                VERSION + ")");
        }
        final byte status = hello.get(STATUS_OFFSET);
        switch (status)
        {
            case ACCEPTED:
                return;
            case REFUSED_PEER:
                throw new PeerRefusedException(name + ": the subscriber refused this publisher: its user is not " +
                    "allowed (allowUid)");
            case REFUSED_LIMIT:
                throw new PeerRefusedException(name + ": the subscriber refused this publisher: it has as many " +
                    "publishers as its maxConnections");
            case REFUSED_RESOURCES:
                throw new PeerRefusedException(name + ": the subscriber refused this publisher: it is out of file " +
                    "descriptors");
            default:
                throw new PeerRefusedException(name + ": the subscriber refused this publisher: status=" + status);
        }
    }

    private static String hex(final ByteBuffer hello)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < hello.limit(); i++)
        {
            text.append(String.format("%02x", hello.get(i)));
        }
        return text.toString();
    }
}
