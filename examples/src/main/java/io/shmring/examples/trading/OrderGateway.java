package io.shmring.examples.trading;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.AdaptiveWaitStrategy;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Formatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The order-gateway process: the one consumer of an MPSC ring that every strategy process writes orders to.
 * It reads orders in place through an {@link OrderFlyweight}, sleeps in {@code take} on the ring's futex when
 * none are there, and records two latencies in HdrHistograms: tick publish to order arrival (end to end, three
 * processes) and strategy send to order arrival (the MPSC hop). Once a second it prints the order rates
 * and that second's latency; at the end the percentiles, its CPU time while waiting, and its checks.
 * <p>
 * Checks: each strategy's orders arrive with sequences 0, 1, 2, ... and their count equals the one in that
 * strategy's end frame. It stops when every strategy sent its end frame, or when every producer has closed
 * (then the check fails). Exit code 0 only if every strategy's orders pass.
 * <p>
 * Orders caused by a tick with a sequence below {@code warm-up ticks} are left out of the final histograms (JVM
 * start-up, JIT); the live lines include them.
 * <p>
 * Usage: {@code OrderGateway <order ring> <number of strategies> <warm-up ticks>}; strategy ids are 1 to that number.
 */
public final class OrderGateway implements MessageHandler
{
    private static final int BATCH = 256;
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final OrderFlyweight order = new OrderFlyweight();
    private final Histogram tickToOrder = Latency.newHistogram();
    private final Histogram strategyToGateway = Latency.newHistogram();
    private final Histogram intervalTickToOrder = Latency.newHistogram();
    private final long warmupTicks;
    private final long[] expectedSequences;
    private final long[] received;
    private final long[] receivedAtLastReport;
    private final long[] announced;
    private final long[] outOfOrder;
    private long unexpectedFrames;
    private int endFrames;

    private OrderGateway(final int strategies, final long warmupTicks)
    {
        this.warmupTicks = warmupTicks;
        expectedSequences = new long[strategies + 1];
        received = new long[strategies + 1];
        receivedAtLastReport = new long[strategies + 1];
        announced = new long[strategies + 1];
        outOfOrder = new long[strategies + 1];
        Arrays.fill(announced, -1);
    }

    /**
     * @param args order ring, number of strategies, warm-up ticks.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int strategies = Integer.parseInt(args[1]);
        final OrderGateway gateway = new OrderGateway(strategies, Long.parseLong(args[2]));
        final WaitMeter meter = new WaitMeter();
        final String waitSyscalls;
        try (RingFile file = RingFile.open(Path.of(args[0]), RingKind.MPSC);
            MpscConsumer consumer = new MpscConsumer(file, AdaptiveWaitStrategy.defaults()))
        {
            gateway.consume(consumer, strategies, meter);
            waitSyscalls = String.format(Locale.ROOT, "futex wait syscalls %,d, wake syscalls %,d",
                consumer.wakeups().waitCalls(), consumer.wakeups().wakeCalls());
        }
        System.exit(gateway.report(meter, waitSyscalls) ? 0 : 1);
    }

    private void consume(final MpscConsumer consumer, final int strategies, final WaitMeter meter) throws InterruptedException
    {
        final long start = System.nanoTime();
        long nextReport = start + REPORT_INTERVAL_NS;
        while (endFrames < strategies)
        {
            if (consumer.poll(this, BATCH) == 0)
            {
                if (consumer.isEndOfStream())
                {
                    return; // every strategy closed, some without an end frame: the check fails
                }
                final long untilReport = nextReport - System.nanoTime();
                if (untilReport > 0)
                {
                    meter.start();
                    consumer.take(this, 1, untilReport, TimeUnit.NANOSECONDS); // sleeps on the futex; one order, then back to poll
                    meter.stop();
                }
            }
            final long now = System.nanoTime();
            if (now - nextReport >= 0)
            {
                printLive((now - start) / REPORT_INTERVAL_NS, now - nextReport + REPORT_INTERVAL_NS);
                nextReport += REPORT_INTERVAL_NS;
            }
        }
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long arrivedNanos = System.nanoTime();
        if (length != OrderFlyweight.LENGTH)
        {
            unexpectedFrames++;
            return;
        }
        order.wrapForRead(buffer, offset);
        final int strategy = order.strategyId();
        if (strategy < 1 || strategy >= received.length || (typeId != OrderFlyweight.TYPE_ID && typeId != OrderFlyweight.END_TYPE_ID))
        {
            unexpectedFrames++;
            return;
        }
        if (typeId == OrderFlyweight.END_TYPE_ID)
        {
            announced[strategy] = order.orderSequence();
            endFrames++;
            return;
        }
        Latency.record(intervalTickToOrder, arrivedNanos - order.tickPublishNanos());
        if (order.tickSequence() >= warmupTicks)
        {
            Latency.record(tickToOrder, arrivedNanos - order.tickPublishNanos());
            Latency.record(strategyToGateway, arrivedNanos - order.sendNanos());
        }
        if (order.orderSequence() != expectedSequences[strategy])
        {
            outOfOrder[strategy]++;
        }
        expectedSequences[strategy] = order.orderSequence() + 1;
        received[strategy]++;
    }

    private void printLive(final long second, final long intervalNanos)
    {
        final StringBuilder rates = new StringBuilder();
        for (int s = 1; s < received.length; s++)
        {
            final long perSecond = (received[s] - receivedAtLastReport[s]) * 1_000_000_000L / intervalNanos;
            rates.append(s == 1 ? "" : " + ").append(String.format(Locale.ROOT, "%,d", perSecond));
            receivedAtLastReport[s] = received[s];
        }
        System.out.printf(Locale.ROOT, "live %3d s  orders/s %s  tick->order us p50 %.2f  p99 %.2f  max %.2f%n", second, rates,
            Latency.micros(intervalTickToOrder.getValueAtPercentile(50)), Latency.micros(intervalTickToOrder.getValueAtPercentile(99)),
            Latency.micros(intervalTickToOrder.getMaxValue()));
        intervalTickToOrder.reset();
    }

    private boolean report(final WaitMeter meter, final String waitSyscalls)
    {
        final Formatter report = new Formatter(new StringBuilder(), Locale.ROOT);
        boolean ok = unexpectedFrames == 0;
        final StringBuilder perStrategy = new StringBuilder();
        for (int s = 1; s < received.length; s++)
        {
            ok &= announced[s] == received[s] && outOfOrder[s] == 0;
            perStrategy.append(String.format(Locale.ROOT, "strategy-%d %,d of %s announced, %,d out of order; ", s, received[s],
                announced[s] < 0 ? "none (no end frame)" : String.format(Locale.ROOT, "%,d", announced[s]), outOfOrder[s]));
        }
        report.format("orders: %s%,d unexpected frames: sequence check %s%n", perStrategy, unexpectedFrames,
            ok ? "OK" : "FAILED");
        report.format("%s%n", Latency.percentileLine("tick->order", tickToOrder));
        report.format("%s%n", Latency.percentileLine("strategy->gateway", strategyToGateway));
        report.format("%s%n", meter.waitLine("take") + "; " + waitSyscalls);
        report.format("%s%n", meter.processLine());
        System.out.print(report); // one write, so the demo relays the report as one block
        System.out.flush();
        return ok;
    }
}
