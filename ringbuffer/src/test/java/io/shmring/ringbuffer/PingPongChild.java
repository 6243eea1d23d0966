package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.WaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link AbstractPingPongCrossProcessTest}: consumes each ping from one ring and echoes it
 * on the other, then prints its wait/wake counters.
 * Arguments: ping ring path, pong ring path, rounds, "spin" or "block". Exit 0 on success; 2 on a lost
 * or out-of-order message or a timeout.
 */
public final class PingPongChild
{
    static final int TYPE_ID = 7;
    static final long TIMEOUT_SECONDS = 10;

    private PingPongChild()
    {
    }

    static WaitStrategy strategy(final String name)
    {
        switch (name)
        {
            case "spin":
                return IdleWaitStrategy.busySpin();
            case "block":
                return BlockingWaitStrategy.sleepOnly();
            default:
                throw new IllegalArgumentException("unknown strategy: name=" + name);
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int rounds = Integer.parseInt(args[2]);
        try (RingFile pingFile = RingFile.open(Paths.get(args[0]));
            RingFile pongFile = RingFile.open(Paths.get(args[1])))
        {
            final Subscriber consumer = RingEndpoints.subscriber(pingFile, strategy(args[3]));
            final Publisher producer = RingEndpoints.publisher(pongFile, strategy(args[3]));
            final UnsafeBuffer echo = new UnsafeBuffer(ByteBuffer.allocateDirect(pingFile.maxMessageLength()));
            final int[] received = new int[2]; // sequence, length
            final MessageHandler copyToEcho = (typeId, buffer, offset, length) ->
            {
                buffer.getBytes(offset, echo, 0, length);
                received[0] = (int)echo.getLong(0);
                received[1] = length;
            };
            RingEndpoints.wakeups(consumer).prepare();
            RingEndpoints.wakeups(producer).prepare();
            System.out.println("READY");
            System.out.flush();
            for (int i = 1; i <= rounds; i++)
            {
                final int taken = consumer.take(copyToEcho, 1, TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (taken != 1 || received[0] != i)
                {
                    System.out.println("FAILED round=" + i + " taken=" + taken + " sequence=" + received[0]);
                    System.exit(2);
                }
                if (!producer.offer(TYPE_ID, echo, 0, received[1], TIMEOUT_SECONDS, TimeUnit.SECONDS))
                {
                    System.out.println("FAILED round=" + i + " offer timed out");
                    System.exit(2);
                }
            }
            final RingWakeups consumerWakeups = RingEndpoints.wakeups(consumer);
            System.out.println(ChildStats.format(consumerWakeups.notEmpty(), RingEndpoints.wakeups(producer)));
            producer.close();
            consumer.close();
        }
    }
}
