package io.shmring.ringbuffer;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.MappedRegion;
import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.sync.ChildOutput;
import io.shmring.sync.Eventcount;
import io.shmring.sync.LostWakeupJudge;
import io.shmring.sync.SignalWitness;
import io.shmring.sync.WaitStrategy;
import io.shmring.sync.WakeMechanism;
import io.shmring.sync.WakeProtocol;
import io.shmring.sync.internal.Membarrier;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shmring.ringbuffer.PingPongChild.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-process ping-pong over two rings of one kind: this JVM sends each ping and takes the reply,
 * a child JVM takes each ping and echoes it. With the futex or semaphore mechanism both sides block
 * (sleep at once, no spinning) between messages; every one of the round trips must come back in
 * order, and no wakeup may be lost: a {@link LostWakeupJudge} on each side fails the run when a 30 s
 * sleep slice runs out with its message there although the other side's offer had returned within that
 * slice (see {@link PingPongChild}). Round 1 goes through a cross-process wake both ways for certain;
 * how often either side slept on the other rounds depends on the scheduler and is printed. With busy
 * spinning neither side may make a wake call. Prints the round-trip percentiles.
 * <p>
 * The blocking runs make 250,000 round trips (each a sleep and a cross-process wake both ways, about 20 µs here): the
 * lost-wakeup race itself is proven by JCStress (WakeProtocolStress, EventcountDekkerStress); these runs show the real
 * processes, futex and semaphore calls agree with it. {@code -Dshmring.pingPong.rounds=N} runs more (or fewer).
 * <p>
 * A ring kind is a subclass: {@link #kind()}.
 */
abstract class AbstractPingPongCrossProcessTest
{
    static final int ROUNDS = Integer.getInteger("shmring.pingPong.rounds", 250_000);
    static final int SPIN_ROUNDS = Integer.getInteger("shmring.pingPong.spinRounds", 200_000);
    static final int MIXED_ROUNDS = Integer.getInteger("shmring.pingPong.mixedRounds", 2_000);
    static final int MEMBARRIER_ROUNDS = Integer.getInteger("shmring.pingPong.membarrierRounds", 100_000);
    static final int PAYLOAD_LENGTH = 64;
    static final int CAPACITY = 64 * 1024;

    private RingFile pingFile;
    private RingFile pongFile;
    private MappedRegion witnesses;
    private Process child;

    abstract RingKind kind();

    abstract RingConfig config(int capacity);

    @AfterEach
    void tearDown()
    {
        if (child != null && child.isAlive())
        {
            child.destroyForcibly();
        }
        TestRings.closeAndDelete(pingFile);
        TestRings.closeAndDelete(pongFile);
        if (witnesses != null)
        {
            witnesses.close();
            witnesses.delete();
        }
    }

    @Test
    void shouldPingPongBlockingOnFutexWithoutLostWakeup() throws Exception
    {
        pingPongBlocking(WakeMechanism.FUTEX, WakeProtocol.FENCED, ROUNDS); // the default: layout version 2
    }

    @Test
    void shouldPingPongBlockingOnSemaphoreWithoutLostWakeup() throws Exception
    {
        pingPongBlocking(WakeMechanism.SEMAPHORE, WakeProtocol.FENCED, ROUNDS); // the default: layout version 2
    }

    /**
     * Mixed processes on a layout version 3 ring: this JVM is registered for membarrier, so its producer skips the
     * notifier's fence and its consumer issues membarrier before sleeping (judged: a lost wakeup fails the run); the child
     * cannot ({@code -Dshmring.membarrier=false}): it fences as a notifier and, as a sleeper a fence-free producer may
     * miss, sleeps in poll slices. Every message must come back, in order.
     */
    @Test
    void shouldPingPongWithAChildThatCannotIssueMembarrierWithoutLosingAMessage() throws Exception
    {
        assumeTrue(Membarrier.isRegistered(), "membarrier unavailable here: " + Membarrier.unavailableReason());
        final Result result = pingPong(WakeMechanism.FUTEX, WakeProtocol.MEMBARRIER, "poll", MIXED_ROUNDS,
            List.of("-D" + Membarrier.PROPERTY + "=false"));

        assertEquals(Eventcount.Mode.MEMBARRIER, result.parentProducer.notEmpty().mode(), result.parentProducer.toString());
        assertEquals(Eventcount.Mode.MEMBARRIER, result.parentConsumer.notEmpty().mode(), result.parentConsumer.toString());
        assertEquals("READY FENCED_POLLING FENCED_POLLING", result.childReady);
        assertEquals(0, result.parentConsumer.notEmpty().timeouts(), result.parentConsumer.toString());
        assertEquals(0L, result.childStats.get("timeouts"), result.childStatsLine);
    }

    @Test
    void shouldPingPongBusySpinningWithoutAnyFutexWakeCall() throws Exception
    {
        final Result result = pingPong(WakeMechanism.FUTEX, RingConfig.DEFAULT_WAKE_PROTOCOL, "spin", SPIN_ROUNDS);

        assertEquals(0, result.parentProducer.wakeCalls(), result.parentProducer.toString());
        assertEquals(0, result.parentConsumer.wakeCalls() + result.parentConsumer.waitCalls(), result.parentConsumer.toString());
        assertEquals(0L, result.childStats.get("wakeCalls"), result.childStatsLine);
        assertEquals(0L, result.childStats.get("waitCalls"), result.childStatsLine);
    }

    /**
     * Layout version 3: both processes registered, so every notifier skips its fence and every sleeper issues membarrier
     * first (fewer rounds than the fenced runs: each sleep's barrier interrupts the other CPU when it runs, tens of µs on
     * a virtual machine).
     */
    @Test
    void shouldPingPongBlockingOnAMembarrierRingWithoutLostWakeup() throws Exception
    {
        pingPongBlocking(WakeMechanism.FUTEX, WakeProtocol.MEMBARRIER, MEMBARRIER_ROUNDS);
    }

    private void pingPongBlocking(final WakeMechanism mechanism, final WakeProtocol protocol, final int rounds)
        throws Exception
    {
        assumeTrue(mechanism.isSupported(), mechanism + " unsupported here");
        final Result result = pingPong(mechanism, protocol, "block", rounds);
        final Eventcount.Mode mode = protocol == WakeProtocol.FENCED ? Eventcount.Mode.FENCED :
            Membarrier.isRegistered() ? Eventcount.Mode.MEMBARRIER : Eventcount.Mode.FENCED_POLLING;
        assertEquals("READY " + mode + " " + mode, result.childReady, "the ring's ends, in a process like this one");

        // Round 1 went through a cross-process wake both ways: each side sent only once the other was asleep.
        assertTrue(result.parentProducer.wakeCalls() >= 1, "ping 1 made no wake call: " + result.parentProducer);
        assertTrue(result.childStats.get("wokenWaits") >= 1, "the child was never woken: " + result.childStatsLine);
        assertTrue(result.childStats.get("wakeCalls") >= 1, "pong 1 made no wake call: " + result.childStatsLine);
        assertTrue(result.parentConsumer.notEmpty().wokenWaits() >= 1, "the parent was never woken: " + result.parentConsumer);
        assertEquals(0, result.parentConsumer.notEmpty().timeouts(), result.parentConsumer.toString());
        assertEquals(0L, result.childStats.get("timeouts"), result.childStatsLine);
    }

    private Result pingPong(final WakeMechanism mechanism, final WakeProtocol protocol, final String strategy,
        final int rounds) throws Exception
    {
        return pingPong(mechanism, protocol, strategy, rounds, List.of());
    }

    private Result pingPong(final WakeMechanism mechanism, final WakeProtocol protocol, final String strategy,
        final int rounds, final List<String> childFlags) throws Exception
    {
        final boolean blocking = "block".equals(strategy); // "poll": the child is unjudged, so round 1 is not forced
        final RingConfig config = config(CAPACITY).withWakeMechanism(mechanism).withWakeProtocol(protocol);
        assertEquals(kind(), config.kind());
        pingFile = RingFile.create(TestRings.uniquePath("pingpong-ping"), config);
        pongFile = RingFile.create(TestRings.uniquePath("pingpong-pong"), config);
        witnesses = MappedRegion.create(TestRings.uniquePath("pingpong-witness"), PingPongChild.WITNESS_FILE_LENGTH);
        final SignalWitness pingWitness = new SignalWitness(witnesses.buffer(), PingPongChild.PING_WITNESS);
        final WaitStrategy consumerStrategy = // in "poll" runs too: this JVM issues membarrier, the child fences
            PingPongChild.consumerStrategy(strategy, new SignalWitness(witnesses.buffer(), PingPongChild.PONG_WITNESS));
        final Publisher producer = RingEndpoints.publisher(pingFile, PingPongChild.producerStrategy(strategy));
        final Subscriber consumer = RingEndpoints.subscriber(pongFile, consumerStrategy);
        RingEndpoints.wakeups(producer).prepare();
        RingEndpoints.wakeups(consumer).prepare();
        child = ChildJvm.builder(PingPongChild.class, childFlags, List.of(pingFile.path().toString(), pongFile.path().toString(),
            Integer.toString(rounds), strategy, witnesses.path().toString())).start();
        final BufferedReader childOut =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        final String childReady = childOut.readLine();
        assertTrue(childReady != null && childReady.startsWith("READY "), "child did not attach: " + childReady);

        final UnsafeBuffer ping = new UnsafeBuffer(ByteBuffer.allocateDirect(PAYLOAD_LENGTH));
        final long[] reply = new long[1];
        final MessageHandler readSequence = (typeId, buffer, offset, length) -> reply[0] = buffer.getLong(offset);
        final Histogram rttNanos = new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
        try
        {
            for (int i = 1; i <= rounds; i++)
            {
                final long start = System.nanoTime();
                ping.putLong(0, i);
                assertTrue(PingPongChild.send(producer, pingWitness, blocking, ping, PAYLOAD_LENGTH, i),
                    "ping not sent at round " + i);
                assertEquals(1, PingPongChild.receive(consumer, consumerStrategy, readSequence, i), "no reply at round " + i);
                rttNanos.recordValue(Math.min(System.nanoTime() - start, rttNanos.getHighestTrackableValue()));
                assertEquals(i, reply[0], "reply out of order");
            }
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + " | child: " + ChildOutput.rest(child, childOut), ex);
        }
        final String statsLine = childOut.readLine();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit"); // only a hang takes this long
        assertEquals(0, child.exitValue(), "child failed: " + statsLine);
        final Result result = new Result(
            RingEndpoints.wakeups(producer), RingEndpoints.wakeups(consumer), childReady, statsLine, ChildStats.parse(statsLine));
        System.out.printf("%s %s %s ping-pong, %d round trips of %d B, cross-process: RTT median %.1f us, " +
            "p90 %.1f us, p99 %.1f us, max %.1f us%n  parent consumer %s %s%n  parent producer wakeCalls=%d%n  child %s%n",
            kind(), mechanism, strategy, rounds, PAYLOAD_LENGTH,
            rttNanos.getValueAtPercentile(50) / 1e3, rttNanos.getValueAtPercentile(90) / 1e3,
            rttNanos.getValueAtPercentile(99) / 1e3, rttNanos.getMaxValue() / 1e3,
            result.parentConsumer.notEmpty(), consumerStrategy, result.parentProducer.wakeCalls(), statsLine);
        producer.close();
        consumer.close();
        return result;
    }

    private record Result(
        RingWakeups parentProducer, RingWakeups parentConsumer, String childReady, String childStatsLine,
        Map<String, Long> childStats)
    {
    }
}
