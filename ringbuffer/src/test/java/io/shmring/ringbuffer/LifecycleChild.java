package io.shmring.ringbuffer;

import io.shmring.core.Subscriber;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM holding one role of a ring for {@link RingLifecycleCrossProcessTest}: it attaches, prints
 * {@code ATTACHED <pid as its own namespace sees it>}, and then keeps the role (its heartbeat running) until it
 * is killed. Roles: {@code spsc-producer PATH}, {@code consumer PATH}, and {@code draining-consumer PATH}, an MPSC
 * consumer that polls without pause (the ring's producer keeps it full), so a SIGKILL lands at any instruction
 * of its polling and releasing; and {@code counting-consumer PATH}, a consumer that polls without pause (256 frames a
 * poll) until a poll throws, then prints {@code ENDED delivered=<messages> <exception>} and exits.
 */
public final class LifecycleChild
{
    private LifecycleChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String role = args[0];
        final RingFile file = RingFile.open(Path.of(args[1]));
        switch (role)
        {
            case "spsc-producer":
            {
                final SpscProducer producer = new SpscProducer(file);
                attached();
                holdUntilKilled(producer);
                break;
            }
            case "consumer":
            {
                final Subscriber consumer = file.kind() == RingKind.MPSC ? new MpscConsumer(file) : new SpscConsumer(file);
                attached();
                holdUntilKilled(consumer);
                break;
            }
            case "draining-consumer":
            {
                final MpscConsumer consumer = new MpscConsumer(file);
                attached();
                long sum = 0;
                while (true)
                {
                    final long[] box = {0};
                    consumer.poll((typeId, buffer, offset, length) -> box[0] += buffer.getLong(offset), Integer.MAX_VALUE);
                    sum += box[0];
                    if (sum == Long.MIN_VALUE)
                    {
                        System.out.println(sum); // keeps the reads alive
                    }
                }
            }
            case "counting-consumer":
            {
                final Subscriber consumer = file.kind() == RingKind.MPSC ? new MpscConsumer(file) : new SpscConsumer(file);
                attached();
                final long[] delivered = {0};
                try
                {
                    while (true)
                    {
                        consumer.poll((typeId, buffer, offset, length) -> delivered[0]++, 256);
                    }
                }
                catch (final RuntimeException ex)
                {
                    System.out.println("ENDED delivered=" + delivered[0] + " " + ex.getClass().getName() + ": " + ex.getMessage());
                    System.out.flush();
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown role: " + role);
        }
    }

    private static void attached()
    {
        System.out.println("ATTACHED " + ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void holdUntilKilled(final Object end) throws InterruptedException
    {
        while (end != null)
        {
            TimeUnit.SECONDS.sleep(1);
        }
    }
}
