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
 * The two hellos that open a socket connection ({@code uds:}, {@code tcp:}; docs/LAYOUT.md section 1.1).
 * The subscriber's, 8 bytes: the ASCII magic {@code SHMR}, version 2, a status, two zero bytes, written once
 * before anything else flows; a refusing one is followed by the subscriber closing the connection, and nothing
 * flows from subscriber to publisher after it. The publisher's answer to an accepting one, 8 bytes: the ASCII
 * magic {@code SHMP}, version 2, three zero bytes, before its first frame. Only a connection that sent it is a
 * publisher: one that closes before it is no end of the subscriber's stream.
 */
final class StreamHello
{
    /** Bytes of a hello. */
    static final int LENGTH = 8;
    /** Protocol version carried in byte 4 of both hellos (1 had no publisher hello). */
    static final byte VERSION = 2;

    /** Status: accepted; frames may follow. */
    static final byte ACCEPTED = 0;
    /** Status: the subscriber's peer check (allowUid) refused this publisher. */
    static final byte REFUSED_PEER = 1;
    /** Status: the subscriber has as many publishers as its maxConnections. */
    static final byte REFUSED_LIMIT = 2;
    /** Status: the subscriber ran out of file descriptors. */
    static final byte REFUSED_RESOURCES = 3;

    private static final byte[] MAGIC = {'S', 'H', 'M', 'R'};
    private static final byte[] PUBLISHER_MAGIC = {'S', 'H', 'M', 'P'};
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
     * @return the publisher's hello, ready to write.
     */
    static ByteBuffer encodePublisherHello()
    {
        final ByteBuffer hello = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        hello.put(PUBLISHER_MAGIC).put(VERSION).put((byte)0).put((byte)0).put((byte)0).flip();
        return hello;
    }

    /**
     * @param hello the 8 bytes a connection sent first (positions 0 to 7 are read, the position is ignored).
     * @return null if they are a version 2 publisher hello, or what is wrong with them (naming the bytes).
     */
    static String publisherHelloProblem(final ByteBuffer hello)
    {
        boolean valid = true;
        for (int i = 0; i < LENGTH; i++)
        {
            valid &= hello.get(i) == (i < PUBLISHER_MAGIC.length ? PUBLISHER_MAGIC[i] : i == VERSION_OFFSET ? VERSION : 0);
        }
        return valid ? null : "not a version " + VERSION + " publisher hello (53484d50 02000000): " + hex(hello, LENGTH);
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
     * The publisher's side: wait for the subscriber's hello on a connected channel, answer an accepting one with the
     * publisher's hello, and leave the channel blocking.
     *
     * @param channel   a connected channel (blocking or not).
     * @param timeoutNs longest wait.
     * @param name      the endpoint, for messages.
     * @throws PeerRefusedException if the hello refuses, the connection closes first, or none comes in time.
     * @throws IOException          if reading or answering fails, the bytes are not a hello, or the thread is
     *                              interrupted.
     */
    static void handshake(final SocketChannel channel, final long timeoutNs, final String name) throws IOException
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
        final ByteBuffer answer = encodePublisherHello();
        while (answer.hasRemaining())
        {
            channel.write(answer); // 8 bytes into an empty send buffer: does not wait
        }
    }

    private static void check(final ByteBuffer hello, final String name) throws IOException
    {
        for (int i = 0; i < MAGIC.length; i++)
        {
            if (hello.get(i) != MAGIC[i])
            {
                throw new IOException(name + ": the peer is not a shmring subscriber (its first bytes are not a hello): " +
                    hex(hello, hello.limit()));
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

    private static String hex(final ByteBuffer hello, final int length)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            text.append(String.format("%02x", hello.get(i)));
        }
        return text.toString();
    }
}
