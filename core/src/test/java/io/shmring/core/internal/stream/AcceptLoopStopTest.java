package io.shmring.core.internal.stream;

import io.shmring.core.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket subscriber whose accepting thread loses its listener (here: the thread is interrupted inside
 * {@code accept}, which closes the listening socket, as the breaker saw: no listener, connections refused)
 * does not go on silently: its next take throws, saying accepting stopped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcceptLoopStopTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldFailTheNextTakeWhenTheListenerIsClosedUnderTheAcceptingThread() throws Exception
    {
        try (SocketSubscriber subscriber = (SocketSubscriber)Transports.subscriber("tcp://127.0.0.1:0"))
        {
            final int port = ((InetSocketAddress)subscriber.localAddress()).getPort();
            final Thread acceptor = acceptingThread(subscriber);
            awaitBlockedInAccept(acceptor);
            acceptor.interrupt();

            final long deadline = System.nanoTime() + DEADLINE_NS;
            IllegalStateException failure = null;
            while (failure == null && System.nanoTime() - deadline < 0)
            {
                try
                {
                    subscriber.take((t, b, o, l) -> { }, 16, 100, TimeUnit.MILLISECONDS);
                }
                catch (final IllegalStateException ex)
                {
                    failure = ex;
                }
            }
            assertTrue(failure != null && failure.getMessage().contains("accepting publishers stopped") &&
                failure.getMessage().contains("listening socket was closed"), String.valueOf(failure));
            System.out.println("AcceptLoopStopTest: " + failure.getMessage());
            final IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> subscriber.poll((t, b, o, l) -> { }, 16));
            assertEquals(failure.getMessage(), again.getMessage(), "every later poll fails the same way");
            acceptor.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
            assertTrue(!acceptor.isAlive(), "the accepting thread ended");
            assertThrows(ConnectException.class, () -> connect(port), "the listener is gone: what the breaker saw");
        }
    }

    private static Thread acceptingThread(final SocketSubscriber subscriber)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("shmring-accept " + subscriber.toString().replaceAll("^SocketSubscriber\\{(.*), peers=.*$", "$1")))
            {
                return thread;
            }
        }
        throw new AssertionError("no accepting thread for " + subscriber + " among " + Thread.getAllStackTraces().keySet());
    }

    private static void awaitBlockedInAccept(final Thread acceptor) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (System.nanoTime() - deadline < 0)
        {
            for (final StackTraceElement frame : acceptor.getStackTrace())
            {
                if (frame.getMethodName().equals("accept") && frame.getClassName().contains("ServerSocketChannel"))
                {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the accepting thread never waited in accept");
    }

    private static void connect(final int port) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            channel.finishConnect();
        }
    }
}
