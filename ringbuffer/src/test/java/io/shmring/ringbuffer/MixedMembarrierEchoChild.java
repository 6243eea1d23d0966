package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import io.shmring.core.internal.MappedRegion;
import io.shmring.sync.BlockingWaitStrategy;
import io.shmring.sync.LostWakeupJudge;
import io.shmring.sync.SignalWitness;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link MixedMembarrierProcessTest}, started with {@code -Dshmring.membarrier=false} (a process that cannot
 * issue membarrier): takes each ping from a layout version 3 ring, sleeping at once whenever it waits (so its sleeps are
 * bounded by the poll slice), and echoes it on the pong ring, recording on the witness when each echo returned.
 * Prints {@code READY <its consumer's mode> <its producer's mode>}, then a {@link ChildStats} line. Arguments: ping
 * path, pong path, rounds, witness path. Exit 0; 2 with a {@code FAILED} line if a ping is missing or out of order.
 */
public final class MixedMembarrierEchoChild
{
    private MixedMembarrierEchoChild()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int rounds = Integer.parseInt(args[2]);
        try (RingFile pingFile = RingFile.open(Paths.get(args[0]));
            RingFile pongFile = RingFile.open(Paths.get(args[1]));
            MappedRegion witnesses = MappedRegion.open(Paths.get(args[3]));
            SpscConsumer consumer = new SpscConsumer(pingFile, new BlockingWaitStrategy(0, 0, LostWakeupJudge.SLICE_NANOS));
            SpscProducer producer = new SpscProducer(pongFile))
        {
            final SignalWitness pongWitness = new SignalWitness(witnesses.buffer(), MixedMembarrierProcessTest.PONG_WITNESS);
            final UnsafeBuffer echo = new UnsafeBuffer(ByteBuffer.allocateDirect(Long.BYTES));
            final long[] received = new long[1];
            final MessageHandler copy = (typeId, buffer, offset, length) -> received[0] = buffer.getLong(offset);
            consumer.wakeups().prepare();
            producer.wakeups().prepare();
            System.out.println("READY " + consumer.wakeups().notEmpty().mode() + " " + producer.wakeups().notEmpty().mode());
            System.out.flush();
            for (int i = 1; i <= rounds; i++)
            {
                if (consumer.take(copy, 1, 60, TimeUnit.SECONDS) != 1 || received[0] != i) // only a hang takes 60 s
                {
                    System.out.println("FAILED round=" + i + " received=" + received[0]);
                    System.exit(2);
                }
                echo.putLong(0, i);
                if (!producer.offer(1, echo, 0, Long.BYTES, 60, TimeUnit.SECONDS))
                {
                    System.out.println("FAILED round=" + i + " echo timed out");
                    System.exit(2);
                }
                pongWitness.signalled(i);
            }
            System.out.println(ChildStats.format(consumer.wakeups().notEmpty(), producer.wakeups()));
        }
    }
}
