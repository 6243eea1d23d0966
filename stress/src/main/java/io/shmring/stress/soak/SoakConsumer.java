package io.shmring.stress.soak;

import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.BlockingWaitStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The soak's one consumer, a child JVM started by {@link Soak}.
 * <p>
 * Arguments: {@code ringPath logPath claimTimeoutMs reportIntervalMs}. It attaches to the MPSC ring with a
 * blocking wait strategy, prints {@code READY}, and takes messages (sleeping on the not-empty wake line when
 * there are none, recovering dead producers' claims as it waits) into a {@link DeliveryVerifier}, writing its
 * counts into the {@link CommitLog} header after each take and printing a {@code SOAK-PROGRESS} line every
 * report interval. On a {@code FINISH} line, sent once every producer JVM
 * has exited, it drains the ring (a dead producer's claim at the head is recovered once its owner is judged dead), applies
 * the verifier's end rule against the {@link CommitLog}, prints a {@code SOAK-INCARNATION} line per
 * incarnation and one {@code SOAK-VERDICT} line, and exits 0 only if there is no violation.
 */
public final class SoakConsumer
{
    private static final int TAKE_LIMIT = 1024;
    private static final long TAKE_SLICE_MS = 100;
    private static final long DRAIN_SLACK_MS = 30_000;

    private volatile boolean finishRequested;

    private SoakConsumer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 4)
        {
            throw new IllegalArgumentException("usage: ringPath logPath claimTimeoutMs reportIntervalMs: args=" + args.length);
        }
        final long claimTimeoutMs = Long.parseLong(args[2]);
        final long reportIntervalMs = Long.parseLong(args[3]);
        final boolean passed;
        try (CommitLog log = CommitLog.open(Paths.get(args[1]));
            RingFile file = RingFile.open(Paths.get(args[0]), RingKind.MPSC);
            MpscConsumer consumer = new MpscConsumer(
                file, claimTimeoutMs, TimeUnit.MILLISECONDS, BlockingWaitStrategy.defaults()))
        {
            consumer.wakeups().prepare();
            System.out.println("READY");
            System.out.flush();
            passed = new SoakConsumer().run(consumer, log, new DeliveryVerifier(log), claimTimeoutMs, reportIntervalMs);
        }
        System.exit(passed ? 0 : 1);
    }

    private boolean run(
        final MpscConsumer consumer,
        final CommitLog log,
        final DeliveryVerifier verifier,
        final long claimTimeoutMs,
        final long reportIntervalMs) throws InterruptedException
    {
        watchStdin();
        final long startNs = System.nanoTime();
        long nextReportNs = startNs + TimeUnit.MILLISECONDS.toNanos(reportIntervalMs);
        while (!finishRequested)
        {
            consumer.take(verifier, TAKE_LIMIT, TAKE_SLICE_MS, TimeUnit.MILLISECONDS);
            publishProgress(consumer, log, verifier);
            final long now = System.nanoTime();
            if (now - nextReportNs >= 0)
            {
                report(consumer, verifier, now - startNs);
                nextReportNs = now + TimeUnit.MILLISECONDS.toNanos(reportIntervalMs);
            }
        }
        final long drainDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * claimTimeoutMs + DRAIN_SLACK_MS);
        while (!consumer.isEmpty() && System.nanoTime() - drainDeadlineNs < 0)
        {
            consumer.take(verifier, TAKE_LIMIT, TAKE_SLICE_MS, TimeUnit.MILLISECONDS);
            publishProgress(consumer, log, verifier);
        }
        report(consumer, verifier, System.nanoTime() - startNs);
        final boolean drained = consumer.isEmpty();
        if (!drained)
        {
            System.out.println("SOAK-ERROR ring not drained after the producers exited: head=" + consumer.position() +
                " tail=" + consumer.file().producerPosition());
        }
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        for (final DeliveryVerifier.IncarnationTotal total : verdict.incarnationTotals())
        {
            System.out.println(total.line());
        }
        System.out.println(verdict.line(consumer.recoveredClaims()));
        System.out.flush();
        return drained && verdict.violations() == 0;
    }

    private static void publishProgress(final MpscConsumer consumer, final CommitLog log, final DeliveryVerifier verifier)
    {
        log.publishConsumerProgress(verifier.messages(), consumer.wakeups().notEmpty().waitCalls(), consumer.recoveredClaims());
    }

    private static void report(final MpscConsumer consumer, final DeliveryVerifier verifier, final long elapsedNs)
    {
        final double seconds = elapsedNs / 1e9;
        System.out.printf("SOAK-PROGRESS elapsedS=%.0f messages=%d perS=%.0f recoveries=%d sleeps=%d streamViolations=%d%n",
            seconds, verifier.messages(), verifier.messages() / seconds, consumer.recoveredClaims(),
            consumer.wakeups().notEmpty().waitCalls(), verifier.streamViolations());
        System.out.flush();
    }

    private void watchStdin()
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                String line;
                while ((line = in.readLine()) != null && !"FINISH".equals(line))
                {
                    // only FINISH means anything
                }
            }
            catch (final IOException ignored)
            {
                // the controller went away: finish as if told to
            }
            finishRequested = true;
        }, "soak-consumer-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }
}
