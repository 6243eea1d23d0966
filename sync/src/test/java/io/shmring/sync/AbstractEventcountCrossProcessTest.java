package io.shmring.sync;

import io.shmring.core.ChildJvm;
import io.shmring.core.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shmring.sync.EventcountPingPongChild.LINE_A;
import static io.shmring.sync.EventcountPingPongChild.LINE_B;
import static io.shmring.sync.EventcountPingPongChild.PING_OFFSET;
import static io.shmring.sync.EventcountPingPongChild.PONG_OFFSET;
import static io.shmring.sync.EventcountPingPongChild.WAIT_TIMEOUT_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two processes ping-pong through raw eventcounts on one mapped file, both sides sleeping on the
 * line between messages; no wakeup may be lost.
 */
abstract class AbstractEventcountCrossProcessTest
{
    private static final int ROUNDS = 20_000;

    private MappedRegion region;
    private Process child;

    abstract WakeMechanism mechanism();

    @AfterEach
    void tearDown()
    {
        if (child != null && child.isAlive())
        {
            child.destroyForcibly();
        }
        TestRegions.closeAndDelete(region);
    }

    @Test
    void shouldPingPongAcrossProcessesWithoutLostWakeup() throws Exception
    {
        final WakeMechanism mechanism = mechanism();
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-xproc-test", 4096);
        final AtomicBuffer buffer = region.buffer();
        Eventcount.initializeLine(mechanism, buffer, LINE_A);
        Eventcount.initializeLine(mechanism, buffer, LINE_B);
        final Eventcount pingNotifier = Eventcount.create(mechanism, buffer, LINE_A);
        final Eventcount pongWaiter = Eventcount.create(mechanism, buffer, LINE_B);

        pingNotifier.prepare();
        pongWaiter.prepare();
        child = ChildJvm.builder(EventcountPingPongChild.class,
            region.path().toString(), mechanism.name(), Integer.toString(ROUNDS)).start();
        final BufferedReader childOut =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("READY", childOut.readLine());

        final int[] round = new int[1];
        final WakeCondition pongArrived = () -> buffer.getIntAcquire(PONG_OFFSET) == round[0];
        for (int i = 1; i <= ROUNDS; i++)
        {
            round[0] = i;
            buffer.putIntRelease(PING_OFFSET, i); // release: publish the request before signalling
            pingNotifier.signal();
            assertTrue(pongWaiter.await(pongArrived, WAIT_TIMEOUT_NANOS, Eventcount.DEFAULT_SLICE_NANOS),
                "no reply in time at round " + i + ": " + pongWaiter);
        }
        final String statsLine = childOut.readLine();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit");
        assertEquals(0, child.exitValue(), "child failed: " + statsLine);

        final Map<String, Long> childStats = WaitStats.parse(statsLine);
        System.out.println(mechanism + " cross-process eventcount ping-pong, " + ROUNDS + " rounds: parent " +
            WaitStats.format(pongWaiter, pingNotifier) + " | child " + statsLine);
        assertEquals(0, pongWaiter.readyAfterExpiry(), "parent missed a wakeup: " + pongWaiter);
        assertEquals(0L, childStats.get("readyAfterExpiry"), "child missed a wakeup: " + statsLine);
        assertEquals(0, pongWaiter.timeouts());
        assertEquals(0L, childStats.get("timeouts"));
        // The echo side sleeps between pings on nearly every round; the parent often finds the reply already
        // there after registering (the child answers while the parent's wake call returns), but sleeps too.
        assertTrue(childStats.get("wokenWaits") > ROUNDS / 2, statsLine);
        assertTrue(pingNotifier.wakeCalls() > ROUNDS / 2, pingNotifier.toString());
        assertTrue(pongWaiter.wokenWaits() > 0, pongWaiter.toString());
        assertTrue(childStats.get("wakeCalls") > 0, statsLine);
    }
}
