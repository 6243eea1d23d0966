package io.shmring.ringbuffer;

import io.shmring.core.internal.MappedRegion;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.IdleWaitStrategy;
import io.shmring.sync.LostWakeupJudge;
import io.shmring.sync.SignalWitness;
import io.shmring.sync.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link AbstractPingPongCrossProcessTest}: consumes each ping from one ring and echoes it
 * on the other, then prints its wait/wake counters; also the steps both sides share.
 * <p>
 * In "block" mode both sides sleep at once when they wait, in 30 s slices, judged by a
 * {@link LostWakeupJudge} against the other side's {@link SignalWitness} in a third, small mapped file (the
 * ping witness at 0, the pong witness at {@link SignalWitness#LENGTH}). Round 1 is forced through the wake
 * path: each side sends its first message only once the other is registered and has found its ring empty.
 * "poll" is "block" for a child that cannot issue membarrier (started with {@code -Dshmring.membarrier=false}): its own
 * sleeps are bounded by the poll slice and not judged; the parent's still are.
 * <p>
 * Arguments: ping ring path, pong ring path, rounds, "spin", "block" or "poll", witness file path. Prints
 * {@code READY <its consumer's mode> <its producer's mode>} once attached. Exit 0 on
 * success; 2 with a {@code FAILED} line on a lost, out-of-order or late message or a lost wakeup.
 */
public final class PingPongChild
{
    static final int TYPE_ID = 7;
    /** Deadline of one take or offer: only a hang reaches it. */
    static final long TIMEOUT_SECONDS = 60;
    static final int PING_WITNESS = 0;
    static final int PONG_WITNESS = SignalWitness.LENGTH;
    static final int WITNESS_FILE_LENGTH = 4096;

    private PingPongChild()
    {
    }

    /**
     * @return how the consumer of a ring waits: busy spinning, or sleeping judged against the ring's witness.
     */
    static WaitStrategy consumerStrategy(final String mode, final SignalWitness witness)
    {
        return "spin".equals(mode) ? IdleWaitStrategy.busySpin() : new LostWakeupJudge(witness);
    }

    /**
     * @return how the producer of a ring waits (in a ping-pong it never waits for room).
     */
    static WaitStrategy producerStrategy(final String mode)
    {
        return "spin".equals(mode) ? IdleWaitStrategy.busySpin() : new BlockingWaitStrategy(0, 0, LostWakeupJudge.SLICE_NANOS);
    }

    /**
     * Send message {@code round}: in round 1 of a blocking run only once the peer sleeps on the ring;
     * afterwards record on the witness that the offer, and with it the wake, returned.
     *
     * @return true if sent within the deadline.
     */
    static boolean send(
        final Publisher producer, final SignalWitness witness, final boolean blocking,
        final DirectBuffer message, final int length, final long round) throws InterruptedException
    {
        if (blocking && round == 1)
        {
            witness.awaitCheckedFalse(round, TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS));
        }
        final boolean sent = producer.offer(TYPE_ID, message, 0, length, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        witness.signalled(round);
        return sent;
    }

    /**
     * Take message {@code round}.
     *
     * @return messages taken: 1, or 0 if none came within the deadline.
     */
    static int receive(final Subscriber consumer, final WaitStrategy strategy, final MessageHandler handler, final long round)
        throws InterruptedException
    {
        if (strategy instanceof LostWakeupJudge)
        {
            ((LostWakeupJudge)strategy).expect(round);
        }
        return consumer.take(handler, 1, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int rounds = Integer.parseInt(args[2]);
        final String mode = args[3];
        final boolean blocking = !"spin".equals(mode);
        try (RingFile pingFile = RingFile.open(Paths.get(args[0]));
            RingFile pongFile = RingFile.open(Paths.get(args[1]));
            MappedRegion witnesses = MappedRegion.open(Paths.get(args[4])))
        {
            final SignalWitness pongWitness = new SignalWitness(witnesses.buffer(), PONG_WITNESS);
            // "poll": this process cannot issue membarrier, so its sleeps are bounded by the poll slice, which the judge
            // would take for lost wakeups; it sleeps at once, unjudged, and every ping must still come
            final WaitStrategy consumerStrategy = "poll".equals(mode) ? new BlockingWaitStrategy(0, 0, LostWakeupJudge.SLICE_NANOS) :
                consumerStrategy(mode, new SignalWitness(witnesses.buffer(), PING_WITNESS));
            final Subscriber consumer = RingEndpoints.subscriber(pingFile, consumerStrategy);
            final Publisher producer = RingEndpoints.publisher(pongFile, producerStrategy(mode));
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
            System.out.println("READY " + RingEndpoints.wakeups(consumer).notEmpty().mode() + " " +
                RingEndpoints.wakeups(producer).notEmpty().mode());
            System.out.flush();
            try
            {
                for (int i = 1; i <= rounds; i++)
                {
                    final int taken = receive(consumer, consumerStrategy, copyToEcho, i);
                    if (taken != 1 || received[0] != i)
                    {
                        fail("round=" + i + " taken=" + taken + " sequence=" + received[0]);
                    }
                    if (!send(producer, pongWitness, blocking, echo, received[1], i))
                    {
                        fail("round=" + i + " offer timed out");
                    }
                }
            }
            catch (final AssertionError ex)
            {
                fail(ex.getMessage());
            }
            System.out.println(ChildStats.format(RingEndpoints.wakeups(consumer).notEmpty(), RingEndpoints.wakeups(producer)) +
                " slowNotifierExpiries=" + (consumerStrategy instanceof LostWakeupJudge ?
                ((LostWakeupJudge)consumerStrategy).slowNotifierExpiries() : 0));
            producer.close();
            consumer.close();
        }
    }

    private static void fail(final String what)
    {
        System.out.println("FAILED " + what);
        System.exit(2);
    }
}
