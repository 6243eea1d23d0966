package io.shmring.sync;

import io.shmring.core.internal.MappedRegion;

import java.nio.file.Paths;

/**
 * Child JVM of {@link AbstractEventcountCrossProcessTest}: maps the parent's region and runs the echo side
 * of {@link EventcountPingPong}, then prints its counters as a {@link WaitStats} line.
 * Arguments: path, wake mechanism, rounds, wake protocol; prints its modes ({@code MODES waiter notifier}) after
 * {@code READY}. Exit status 0 on success; 3 with a {@code FAILED} line on a
 * lost wakeup or a missing ping.
 */
public final class EventcountPingPongChild
{
    private EventcountPingPongChild()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final WakeMechanism mechanism = WakeMechanism.valueOf(args[1]);
        final int rounds = Integer.parseInt(args[2]);
        final WakeProtocol protocol = WakeProtocol.valueOf(args[3]);
        try (MappedRegion region = MappedRegion.open(Paths.get(args[0])))
        {
            System.out.println("READY");
            System.out.flush();
            final EventcountPingPong.Side echo;
            try
            {
                echo = EventcountPingPong.echo(mechanism, protocol, region.buffer(), rounds);
            }
            catch (final AssertionError ex)
            {
                System.out.println("FAILED " + ex.getMessage());
                System.exit(3);
                return;
            }
            System.out.println(echo.stats());
            System.out.println("MODES " + echo.waiter().mode() + " " + echo.notifier().mode());
        }
    }
}
