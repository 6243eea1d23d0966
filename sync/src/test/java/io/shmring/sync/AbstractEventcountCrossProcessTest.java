package io.shmring.sync;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.MappedRegion;
import io.shmring.sync.internal.Membarrier;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two processes ping-pong through raw eventcounts on one mapped file ({@link EventcountPingPong}), both
 * sides sleeping on the line between messages. A lost wakeup fails the run: a sleep that ran to the end of
 * its 30 s slice although the notifier's signal had returned within that slice (see {@link LostWakeupJudge}).
 * A busy machine does not: how often each side slept, was woken or saw a slice expire is printed, not asserted.
 * Round 1 is forced through a real cross-process wake in each direction, so that part is asserted.
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
        pingPong(WakeProtocol.FENCED, Eventcount.Mode.FENCED);
    }

    /**
     * Both processes registered for membarrier: every notifier skips its fence, every sleeper issues membarrier before
     * its last check; the judge fails any lost wakeup.
     */
    @Test
    void shouldPingPongAcrossProcessesWithoutLostWakeupWhereNotifiersSkipTheirFence() throws Exception
    {
        assumeTrue(Membarrier.isRegistered(), "membarrier unavailable here: " + Membarrier.unavailableReason());
        pingPong(WakeProtocol.MEMBARRIER, Eventcount.Mode.MEMBARRIER);
    }

    private void pingPong(final WakeProtocol protocol, final Eventcount.Mode expectedMode) throws Exception
    {
        final WakeMechanism mechanism = mechanism();
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        region = TestRegions.create("eventcount-xproc-test", EventcountPingPong.REGION_LENGTH);
        final AtomicBuffer buffer = region.buffer();
        EventcountPingPong.initialize(mechanism, buffer);
        child = ChildJvm.builder(EventcountPingPongChild.class,
            region.path().toString(), mechanism.name(), Integer.toString(ROUNDS), protocol.name()).start();
        final BufferedReader childOut =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("READY", childOut.readLine());

        final EventcountPingPong.Side parent;
        try
        {
            parent = EventcountPingPong.request(mechanism, protocol, buffer, ROUNDS);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + " | child: " + ChildOutput.rest(child, childOut), ex);
        }
        final String statsLine = childOut.readLine();
        final String modesLine = childOut.readLine();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit"); // only a hang takes this long
        assertEquals(0, child.exitValue(), "child failed: " + statsLine);
        assertEquals("MODES " + expectedMode + " " + expectedMode, modesLine, "the child's eventcounts' modes");
        assertEquals(expectedMode, parent.waiter().mode(), parent.waiter().toString());
        assertEquals(expectedMode, parent.notifier().mode(), parent.notifier().toString());

        final Map<String, Long> childStats = WaitStats.parse(statsLine);
        System.out.println(mechanism + " " + protocol + " cross-process eventcount ping-pong, " + ROUNDS + " rounds: parent " +
            parent.stats() + " | child " + statsLine);
        // Round 1 went through the wake path in both directions (each notifier waited for its peer to be asleep).
        assertTrue(parent.notifier().wakeCalls() >= 1, "ping 1 made no wake call: " + parent.notifier());
        assertTrue(childStats.get("wokenWaits") >= 1, "the child was never woken: " + statsLine);
        assertTrue(childStats.get("wakeCalls") >= 1, "pong 1 made no wake call: " + statsLine);
        assertTrue(parent.waiter().wokenWaits() >= 1, "the parent was never woken: " + parent.waiter());
        assertEquals(0, parent.waiter().timeouts(), parent.waiter().toString());
        assertEquals(0L, childStats.get("timeouts"), statsLine);
    }
}
