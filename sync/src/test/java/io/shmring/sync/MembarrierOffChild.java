package io.shmring.sync;

import io.shmring.sync.internal.Membarrier;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link MembarrierUnavailableTest}, started with {@code -Dshmring.membarrier=false}: prints
 * {@code REASON <why this process is not registered>} and {@code MODES <mode on a FENCED line> <mode on a MEMBARRIER
 * line>}, then waits on a MEMBARRIER line, with a 10-minute slice, for a condition another thread makes true without any
 * signal (as a fence-free notifier that missed this waiter would), and prints {@code POLLED <expired sleeps>} when it
 * returned. Exit status 0.
 */
public final class MembarrierOffChild
{
    private MembarrierOffChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2 * WakeLineDescriptor.LENGTH, 64));
        final int valueOffset = WakeLineDescriptor.LENGTH;
        Eventcount.initializeLine(WakeMechanism.FUTEX, buffer, 0);
        final Eventcount fenced = Eventcount.create(WakeMechanism.FUTEX, buffer, 0);
        final Eventcount line = Eventcount.create(WakeMechanism.FUTEX, buffer, 0, MappingCheck.ALWAYS_MAPPED, WakeProtocol.MEMBARRIER);
        System.out.println("REASON " + Membarrier.unavailableReason());
        System.out.println("MODES " + fenced.mode() + " " + line.mode());
        System.out.flush();
        line.prepare();
        try (Background<Boolean> waiter = Background.start("polling-waiter",
            () -> line.await(() -> buffer.getIntAcquire(valueOffset) == 1, TimeUnit.MINUTES.toNanos(10), TimeUnit.MINUTES.toNanos(10)),
            () -> buffer.putIntRelease(valueOffset, 1))) // release: the condition's state, if the test fails first
        {
            Sleepers.awaitSleeping(line);
            buffer.putIntRelease(valueOffset, 1); // release: the condition's state; no signal, as a notifier that missed us
            System.out.println("POLLED " + waiter.get(60) + " " + line.expiredWaits()); // only a hang takes 60 s
        }
    }
}
