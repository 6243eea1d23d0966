package io.shmring.examples.trading;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.BroadcastStart;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.sync.AdaptiveWaitStrategy;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.Formatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A strategy process: reads ticks in place from its SPSC ring through a {@link TickFlyweight}, and on every
 * {@code orderEvery}-th tick writes an order in place into the gateway's MPSC ring through an
 * {@link OrderFlyweight} (buy if the price fell since the instrument's last tick, else sell). Between bursts
 * it sleeps in {@code take} on the ring's futex, and reports the CPU time that cost.
 * <p>
 * Checks: tick sequences arrive 0, 1, 2, ... with no gap, and their count equals the one in the
 * publisher's end frame. Exit code 0 only if both hold. At the end it sends its own end frame with the
 * count of orders it sent, for the gateway's check.
 * <p>
 * Ticks with a sequence below {@code warm-up ticks} are left out of the latency histogram (JVM start-up, JIT).
 * <p>
 * Usage: {@code Strategy <strategy id> <tick ring> <order ring> <order every n ticks> <warm-up ticks>}
 */
public final class Strategy implements MessageHandler
{
    private static final int BATCH = 256;
    private static final long ATTACH_TIMEOUT_S = 60;
    private static final long FULL_TIMEOUT_S = 10;

    private final int strategyId;
    private final long orderEvery;
    private final long warmupTicks;
    private final MpscProducer orders;
    private final TickFlyweight tick = new TickFlyweight();
    private final OrderFlyweight order = new OrderFlyweight();
    private final long[] lastPrices = new long[MarketDataPublisher.INSTRUMENTS];
    private final Histogram tickLatency = Latency.newHistogram();
    private long expectedSequence;
    private long ticks;
    private long outOfOrder;
    private long unexpectedFrames;
    private long announcedTicks = -1;
    private long ordersSent;

    private Strategy(final int strategyId, final long orderEvery, final long warmupTicks, final MpscProducer orders)
    {
        this.strategyId = strategyId;
        this.orderEvery = orderEvery;
        this.warmupTicks = warmupTicks;
        this.orders = orders;
    }

    /**
     * @param args strategy id, tick ring, order ring, order every n ticks, warm-up ticks.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int strategyId = Integer.parseInt(args[0]);
        final long orderEvery = Long.parseLong(args[3]);
        final long warmupTicks = Long.parseLong(args[4]);
        final WaitMeter meter = new WaitMeter();
        final boolean ok;
        try (RingFile orderFile = RingFile.open(Path.of(args[2]), RingKind.MPSC);
            MpscProducer orders = new MpscProducer(orderFile))
        {
            awaitGateway(orderFile); // the gateway listens
            final Strategy strategy = new Strategy(strategyId, orderEvery, warmupTicks, orders);
            try (RingFile tickFile = RingFile.open(Path.of(args[1]), RingKind.BROADCAST);
                BroadcastConsumer ticks = new BroadcastConsumer(tickFile, BroadcastStart.TAIL, null, AdaptiveWaitStrategy.defaults()))
            {
                strategy.consume(ticks, meter);
                ok = strategy.report(meter, String.format(Locale.ROOT, "futex wait syscalls %,d (tick ring), wake syscalls %,d " +
                    "(order ring); ticks read from broadcast slot %d", ticks.wakeups().waitCalls(), orders.wakeups().wakeCalls(),
                    ticks.slot()));
            }
            strategy.sendEnd(); // after the report, so the gateway's report follows it in the demo's output
        }
        System.exit(ok ? 0 : 1);
    }

    private void consume(final BroadcastConsumer ticks, final WaitMeter meter) throws InterruptedException
    {
        while (announcedTicks < 0)
        {
            final int read = ticks.poll(this, BATCH);
            if (read == BroadcastConsumer.DROPPED)
            {
                unexpectedFrames++; // dropped (stalled past the ring's stall timeout): ticks were missed, the check below fails
                return;
            }
            if (read == 0)
            {
                if (ticks.isEndOfStream())
                {
                    return; // the publisher closed without an end frame: the check below fails
                }
                meter.start();
                ticks.take(this, 1, 1, TimeUnit.SECONDS); // sleeps on the futex between bursts; one tick, then back to poll
                meter.stop();
            }
        }
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long receivedNanos = System.nanoTime();
        if (length != TickFlyweight.LENGTH || (typeId != TickFlyweight.TYPE_ID && typeId != TickFlyweight.END_TYPE_ID))
        {
            unexpectedFrames++;
            return;
        }
        tick.wrapForRead(buffer, offset);
        if (typeId == TickFlyweight.END_TYPE_ID)
        {
            announcedTicks = tick.sequence();
            return;
        }
        final long sequence = tick.sequence();
        if (sequence >= warmupTicks)
        {
            Latency.record(tickLatency, receivedNanos - tick.publishNanos());
        }
        if (sequence != expectedSequence)
        {
            outOfOrder++;
        }
        expectedSequence = sequence + 1;
        ticks++;
        final int instrument = tick.instrumentId();
        final long price = tick.price();
        if (sequence % orderEvery == orderEvery - 1)
        {
            sendOrder(sequence, tick.publishNanos(), instrument, price, price < lastPrices[instrument] ? OrderFlyweight.BUY :
                OrderFlyweight.SELL);
        }
        lastPrices[instrument] = price;
    }

    /**
     * Wait until the gateway has attached to the order ring, so no order is published to nobody.
     *
     * @throws IllegalStateException if none attached within {@link #ATTACH_TIMEOUT_S}.
     */
    private static void awaitGateway(final RingFile orderFile) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTACH_TIMEOUT_S);
        while (!orderFile.consumerStatus().isHeld())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("no gateway attached within " + ATTACH_TIMEOUT_S + " s: path=" + orderFile.path());
            }
            Thread.sleep(5);
        }
    }

    private void sendOrder(final long tickSequence, final long tickPublishNanos, final int instrument, final long price, final int side)
    {
        final int index = TimedClaim.claim(orders, OrderFlyweight.TYPE_ID, OrderFlyweight.LENGTH, FULL_TIMEOUT_S, TimeUnit.SECONDS);
        order.wrapForWrite(orders.buffer(), index)
            .orderSequence(ordersSent)
            .tickSequence(tickSequence)
            .tickPublishNanos(tickPublishNanos)
            .price(price)
            .strategyId(strategyId)
            .instrumentId(instrument)
            .quantity(100)
            .side(side)
            .sendNanos(System.nanoTime());
        orders.commit(index);
        ordersSent++;
    }

    private void sendEnd()
    {
        final int index = TimedClaim.claim(orders, OrderFlyweight.END_TYPE_ID, OrderFlyweight.LENGTH, FULL_TIMEOUT_S, TimeUnit.SECONDS);
        order.wrapForWrite(orders.buffer(), index).orderSequence(ordersSent).tickSequence(ticks).tickPublishNanos(0).price(0)
            .strategyId(strategyId).instrumentId(-1).quantity(0).side(OrderFlyweight.BUY).sendNanos(System.nanoTime());
        orders.commit(index);
    }

    private boolean report(final WaitMeter meter, final String waitSyscalls)
    {
        final Formatter report = new Formatter(new StringBuilder(), Locale.ROOT);
        final boolean ok = announcedTicks == ticks && outOfOrder == 0 && unexpectedFrames == 0;
        report.format("ticks: %,d received of %s announced, %,d out of order, %,d unexpected frames: " +
            "sequence check %s%n", ticks, announcedTicks < 0 ? "none (no end frame)" : String.format(Locale.ROOT, "%,d", announcedTicks),
            outOfOrder, unexpectedFrames, ok ? "OK" : "FAILED");
        report.format("orders sent %,d (claims that found the order ring full, every strategy's: %,d)%n", ordersSent,
            orders.file().counters().fullEvents());
        report.format("%s%n", Latency.percentileLine("tick->strategy", tickLatency));
        report.format("%s%n", meter.waitLine("take") + "; " + waitSyscalls);
        report.format("%s%n", meter.processLine());
        System.out.print(report); // one write, so the demo relays the report as one block
        System.out.flush();
        return ok;
    }
}
