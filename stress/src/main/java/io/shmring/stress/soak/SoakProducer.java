package io.shmring.stress.soak;

import io.shmring.ringbuffer.ClaimRecoveredException;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One producer incarnation of the soak, a child JVM started by {@link Soak}.
 * <p>
 * Arguments: {@code ringPath logPath producer incarnation seed pauseEveryMs maxPauseMs maxFiller}. It
 * registers on the MPSC ring, marks itself registered in the {@link CommitLog}, prints {@code READY <slot>},
 * and sends {@link SoakMessage}s with sequences 0, 1, 2, ... until a {@code STOP} line (or the end of stdin):
 * <ul>
 * <li>most by a plain offer; when the ring is full, by the timed offer, which sleeps on the ring's not-full
 *     wake line (counted as a full wait in the log);</li>
 * <li>about every {@code pauseEveryMs}, one by {@code tryClaim}: it marks the open claim in the log, writes
 *     half the message, sleeps 1..{@code maxPauseMs} ms inside the claim, writes the rest and commits. The
 *     controller aims some kills at these pauses, so the consumer really has dead claims to recover. When the
 *     controller has asked for it (Hold Requested in the log), the pause lasts until the controller kills
 *     this JVM: a kill inside a claim, for certain.</li>
 * </ul>
 * After each commit returns, and before the next claim, it records {@code committed = sequence + 1} in the log.
 * On STOP it closes the producer (freeing its ring slot), marks itself stopped and exits 0. A commit the
 * consumer rejected (its claim was recovered while this JVM was alive) exits 3: the liveness judgement failed.
 */
public final class SoakProducer
{
    /** Exit code when the consumer recovered a claim of this live producer. */
    public static final int EXIT_LIVE_CLAIM_RECOVERED = 3;

    private static final long OFFER_SLICE_MS = 100;
    private static final long HOLD_POLL_MS = 10;

    private final MpscProducer producer;
    private final CommitLog log;
    private final int producerIndex;
    private final int incarnation;
    private final SplittableRandom random;
    private final long pauseEveryMs;
    private final int maxPauseMs;
    private final int maxFiller;
    private final UnsafeBuffer message;
    private volatile boolean stopRequested;

    private SoakProducer(
        final MpscProducer producer,
        final CommitLog log,
        final int producerIndex,
        final int incarnation,
        final long seed,
        final long pauseEveryMs,
        final int maxPauseMs,
        final int maxFiller)
    {
        this.producer = producer;
        this.log = log;
        this.producerIndex = producerIndex;
        this.incarnation = incarnation;
        this.random = new SplittableRandom(seed);
        this.pauseEveryMs = pauseEveryMs;
        this.maxPauseMs = maxPauseMs;
        this.maxFiller = maxFiller;
        this.message = new UnsafeBuffer(new byte[SoakMessage.HEADER_LENGTH + maxFiller]);
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 8)
        {
            throw new IllegalArgumentException(
                "usage: ringPath logPath producer incarnation seed pauseEveryMs maxPauseMs maxFiller: args=" + args.length);
        }
        final int producerIndex = Integer.parseInt(args[2]);
        final int incarnation = Integer.parseInt(args[3]);
        try (CommitLog log = CommitLog.open(Paths.get(args[1])))
        {
            final long committed;
            try (RingFile file = RingFile.open(Paths.get(args[0]), RingKind.MPSC);
                MpscProducer producer = new MpscProducer(file, BlockingWaitStrategy.defaults()))
            {
                log.markRegistered(incarnation, ProcessHandle.current().pid());
                System.out.println("READY " + producer.slot());
                System.out.flush();
                final SoakProducer soak = new SoakProducer(producer, log, producerIndex, incarnation, Long.parseLong(args[4]),
                    Long.parseLong(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
                soak.watchStdin();
                try
                {
                    committed = soak.run();
                }
                catch (final ClaimRecoveredException ex)
                {
                    // this live producer's claim was recovered
                    System.err.println("SoakProducer incarnation=" + incarnation + ": " + ex.getMessage());
                    System.exit(EXIT_LIVE_CLAIM_RECOVERED);
                    return;
                }
            }
            log.markStopped(incarnation); // after close freed the ring slot
            System.out.println("STOPPED committed=" + committed);
        }
    }

    private void watchStdin()
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                String line;
                while ((line = in.readLine()) != null && !"STOP".equals(line))
                {
                    // only STOP means anything
                }
            }
            catch (final IOException ignored)
            {
                // the controller went away: stop as if told to
            }
            stopRequested = true;
        }, "soak-producer-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * @return messages committed (and recorded) when STOP came.
     */
    private long run() throws InterruptedException
    {
        long sequence = 0;
        long nextPauseMs = System.currentTimeMillis() + nextPauseDelayMs();
        while (!stopRequested)
        {
            final int filler = random.nextInt(maxFiller + 1);
            final boolean pause = System.currentTimeMillis() >= nextPauseMs;
            if (!(pause ? sendWithPauseInClaim(sequence, filler) : send(sequence, filler)))
            {
                break;
            }
            log.recordCommitted(incarnation, ++sequence);
            if (pause)
            {
                log.clearOpenClaim(incarnation);
                nextPauseMs = System.currentTimeMillis() + nextPauseDelayMs();
            }
        }
        return sequence;
    }

    private boolean send(final long sequence, final int filler) throws InterruptedException
    {
        final int length = SoakMessage.write(message, 0, producerIndex, incarnation, sequence, filler);
        if (producer.offer(SoakMessage.TYPE_ID, message, 0, length))
        {
            return true;
        }
        log.countFullWait(incarnation);
        while (!stopRequested)
        {
            if (producer.offer(SoakMessage.TYPE_ID, message, 0, length, OFFER_SLICE_MS, TimeUnit.MILLISECONDS))
            {
                return true;
            }
        }
        return false;
    }

    private boolean sendWithPauseInClaim(final long sequence, final int filler) throws InterruptedException
    {
        final int length = SoakMessage.HEADER_LENGTH + filler;
        final int index = producer.tryClaim(SoakMessage.TYPE_ID, length);
        if (index < 0)
        {
            return send(sequence, filler);
        }
        log.markOpenClaim(incarnation, sequence);
        log.countPausedClaim(incarnation);
        final UnsafeBuffer buffer = producer.buffer();
        SoakMessage.writeFields(buffer, index, producerIndex, incarnation, sequence);
        if (log.isHoldRequested(incarnation))
        {
            log.markHeldClaim(incarnation, sequence);
            holdUntilStopRequested();
        }
        else
        {
            Thread.sleep(1 + random.nextInt(maxPauseMs));
        }
        SoakMessage.writeFiller(buffer, index, producerIndex, incarnation, sequence, filler);
        SoakMessage.sealChecksum(buffer, index, length);
        producer.commit(index);
        return true;
    }

    /**
     * Keep the open claim until the controller kills this JVM; it does so as soon as it sees the Held Claim
     * mark. The loop ends only if the controller goes away (end of stdin) or says STOP instead.
     */
    private void holdUntilStopRequested() throws InterruptedException
    {
        while (!stopRequested)
        {
            Thread.sleep(HOLD_POLL_MS);
        }
    }

    private long nextPauseDelayMs()
    {
        return pauseEveryMs / 2 + random.nextLong(pauseEveryMs + 1);
    }
}
