package io.shmring.sync;

import io.shmring.core.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link AbstractEventcountCrossProcessTest}: maps the parent's file, waits on line A for
 * each ping, answers on line B, then prints its counters.
 * Arguments: path, wake mechanism, rounds. Exit status 0 on success, 2 if a wait timed out.
 */
public final class EventcountPingPongChild
{
    static final int LINE_A = 0;
    static final int LINE_B = WakeLineDescriptor.LENGTH;
    static final int PING_OFFSET = 2 * WakeLineDescriptor.LENGTH;
    static final int PONG_OFFSET = 3 * WakeLineDescriptor.LENGTH;
    static final long WAIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private EventcountPingPongChild()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final WakeMechanism mechanism = WakeMechanism.valueOf(args[1]);
        final int rounds = Integer.parseInt(args[2]);
        try (MappedRegion region = MappedRegion.open(Paths.get(args[0])))
        {
            final AtomicBuffer buffer = region.buffer();
            final Eventcount pingWaiter = Eventcount.create(mechanism, buffer, LINE_A);
            final Eventcount pongNotifier = Eventcount.create(mechanism, buffer, LINE_B);
            final int[] expected = new int[1];
            final WakeCondition pingArrived = () -> buffer.getIntAcquire(PING_OFFSET) == expected[0];
            pingWaiter.prepare();
            pongNotifier.prepare();
            System.out.println("READY");
            System.out.flush();
            for (int i = 1; i <= rounds; i++)
            {
                expected[0] = i;
                if (!pingWaiter.await(pingArrived, WAIT_TIMEOUT_NANOS, Eventcount.DEFAULT_SLICE_NANOS))
                {
                    System.out.println("TIMEOUT round=" + i + " " + pingWaiter);
                    System.exit(2);
                }
                buffer.putIntRelease(PONG_OFFSET, i); // release: publish the reply before signalling
                pongNotifier.signal();
            }
            System.out.println(WaitStats.format(pingWaiter, pongNotifier));
        }
    }
}
