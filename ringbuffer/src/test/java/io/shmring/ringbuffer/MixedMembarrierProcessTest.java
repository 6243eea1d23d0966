package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import io.shmring.core.internal.ChildJvm;
import io.shmring.core.internal.MappedRegion;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.sync.ChildOutput;
import io.shmring.sync.Eventcount;
import io.shmring.sync.LostWakeupJudge;
import io.shmring.sync.SignalWitness;
import io.shmring.sync.internal.Deadline;
import io.shmring.sync.internal.Membarrier;
import io.shmring.sync.internal.WakeLineDescriptor;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Mixed processes on layout version 3 rings: this JVM is registered for membarrier, so its producer skips the notifier's
 * fence; the child cannot issue membarrier ({@code -Dshmring.membarrier=false}), so it fences as a notifier and, as a
 * sleeper a fence-free producer may miss, sleeps in poll slices. Each ping is offered only once the child registered to
 * sleep on the ping ring, so every round races the child's last check against the fence-free publication. Every ping
 * must be echoed, in order (a missed wake is late by at most a poll, never lost); this JVM sleeps for each echo (a
 * membarrier sleeper beside a fencing notifier) judged by a {@link LostWakeupJudge}, so its lost wakeup fails the run.
 */
class MixedMembarrierProcessTest
{
    static final int PING_WITNESS = 0;
    static final int PONG_WITNESS = SignalWitness.LENGTH;
    private static final int ROUNDS = 2_000;

    private RingFile pingFile;
    private RingFile pongFile;
    private MappedRegion witnesses;
    private Process child;

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
    void shouldDeliverEveryMessageBetweenAFenceFreeProducerAndASleeperThatCannotIssueMembarrier() throws Exception
    {
        assumeTrue(Membarrier.isRegistered(), "membarrier unavailable here: " + Membarrier.unavailableReason());
        pingFile = RingFile.create(TestRings.uniquePath("mixed-ping"), RingConfig.spsc(4096));
        pongFile = RingFile.create(TestRings.uniquePath("mixed-pong"), RingConfig.spsc(4096));
        assertEquals(RingDescriptor.LAYOUT_VERSION_MEMBARRIER, pingFile.layoutVersion());
        witnesses = MappedRegion.create(TestRings.uniquePath("mixed-witness"), 4096);
        final LostWakeupJudge judge = new LostWakeupJudge(new SignalWitness(witnesses.buffer(), PONG_WITNESS));
        try (SpscProducer producer = new SpscProducer(pingFile); SpscConsumer consumer = new SpscConsumer(pongFile, judge))
        {
            producer.wakeups().prepare();
            consumer.wakeups().prepare();
            assertEquals(Eventcount.Mode.MEMBARRIER, producer.wakeups().notEmpty().mode());
            assertEquals(Eventcount.Mode.MEMBARRIER, consumer.wakeups().notEmpty().mode());
            child = ChildJvm.builder(MixedMembarrierEchoChild.class, List.of("-D" + Membarrier.PROPERTY + "=false"),
                List.of(pingFile.path().toString(), pongFile.path().toString(), Integer.toString(ROUNDS),
                    witnesses.path().toString())).start();
            final BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY FENCED_POLLING FENCED_POLLING", childOut.readLine());

            final UnsafeBuffer ping = new UnsafeBuffer(ByteBuffer.allocateDirect(Long.BYTES));
            final long[] reply = new long[1];
            final MessageHandler read = (typeId, buffer, offset, length) -> reply[0] = buffer.getLong(offset);
            try
            {
                for (int i = 1; i <= ROUNDS; i++)
                {
                    awaitConsumerRegistered(pingFile, i);
                    ping.putLong(0, i);
                    assertTrue(producer.offer(1, ping, 0, Long.BYTES), "ping " + i + " did not fit");
                    judge.expect(i);
                    assertEquals(1, consumer.take(read, 1, 60, TimeUnit.SECONDS), "no echo of ping " + i); // only a hang
                    assertEquals(i, reply[0], "echo out of order");
                }
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(ex.getMessage() + " | child: " + ChildOutput.rest(child, childOut), ex);
            }
            final String statsLine = childOut.readLine();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit"); // only a hang takes this long
            assertEquals(0, child.exitValue(), "child failed: " + statsLine);
            final Map<String, Long> childStats = ChildStats.parse(statsLine);
            System.out.println("mixed membarrier ping-pong, " + ROUNDS + " rounds: parent consumer " +
                consumer.wakeups().notEmpty() + " producer wakeCalls=" + producer.wakeups().wakeCalls() + " | child " + statsLine);
            assertEquals(0L, childStats.get("timeouts"), statsLine);
            assertEquals(0, consumer.wakeups().notEmpty().timeouts(), consumer.wakeups().notEmpty().toString());
        }
    }

    /**
     * Wait until the child's consumer registered to sleep on the ping ring's not-empty line (it took ping {@code round - 1}
     * and found nothing more).
     */
    private static void awaitConsumerRegistered(final RingFile file, final int round)
    {
        final long deadline = Deadline.after(TimeUnit.SECONDS.toNanos(60));
        final int waitersOffset = RingDescriptor.NOT_EMPTY_WAKE_OFFSET + WakeLineDescriptor.WAITERS_OFFSET;
        while (file.buffer().getIntVolatile(waitersOffset) == 0) // volatile: the child's registration
        {
            assertTrue(Deadline.remaining(deadline) > 0, "the child never waited for ping " + round); // only a hang
            Thread.yield();
        }
    }
}
