package io.shmring.examples.pingpong;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;

import java.util.concurrent.TimeUnit;

/**
 * The echo process of {@code shmring pingpong}: subscribes on the ping URI and sends every frame back
 * unchanged (type id and payload) on the reply URI, until the pinging side closes (end of stream).
 * <p>
 * Usage: {@code EchoMain <ping uri> <reply uri> <idle timeout s>}. Exit code 0 at the end of the stream,
 * 2 if nothing arrived for the idle timeout, 1 on an error (one line on stderr).
 */
public final class EchoMain
{
    /** Exit code when no ping arrived within the idle timeout. */
    public static final int EXIT_IDLE = 2;

    private EchoMain()
    {
    }

    /**
     * @param args ping URI, reply URI, idle timeout in seconds.
     */
    public static void main(final String[] args)
    {
        if (args.length != 3)
        {
            System.err.println("usage: EchoMain <ping uri> <reply uri> <idle timeout s>");
            System.exit(1);
        }
        try
        {
            System.exit(run(args[0], args[1], Long.parseLong(args[2])));
        }
        catch (final Exception ex)
        {
            System.err.println("pingpong echo: " + ex.getMessage());
            System.exit(1);
        }
    }

    private static int run(final String pingUri, final String replyUri, final long idleTimeoutSeconds)
        throws InterruptedException
    {
        try (Subscriber pings = Transports.subscriber(pingUri);
            Publisher replies = Transports.publisher(replyUri))
        {
            final MessageHandler echo = (typeId, buffer, offset, length) ->
            {
                try
                {
                    if (!replies.offer(typeId, buffer, offset, length, idleTimeoutSeconds, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("no space to reply within " + idleTimeoutSeconds + " s: uri=" + replyUri);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while replying: uri=" + replyUri, ex);
                }
            };
            while (true)
            {
                final int echoed = pings.take(echo, 64, idleTimeoutSeconds, TimeUnit.SECONDS);
                replies.flush();
                if (echoed == 0)
                {
                    return pings.isEndOfStream() ? 0 : EXIT_IDLE;
                }
            }
        }
    }
}
