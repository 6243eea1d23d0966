package io.shmring.examples.trading;

import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Formatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The market-data process: publishes each tick once, to one lossless broadcast ring that every strategy reads, in
 * bursts with idle gaps between them (as real market data comes), writing each tick in place with {@code tryClaim}
 * through a {@link TickFlyweight}. The slowest strategy holds it back; one stuck for the ring's stall timeout would
 * be dropped. After each burst it samples how far behind the tail each strategy's consumer is (its lag), and reports
 * the largest per strategy. After the last burst it writes an end frame carrying the tick count and closes the ring,
 * so each strategy can check it saw every tick and then stop.
 * <p>
 * Usage: {@code MarketDataPublisher <duration ms> <ticks per burst> <ms between bursts> <tick ring> <strategies>}
 */
public final class MarketDataPublisher
{
    /** Instruments the ticks cycle through. */
    public static final int INSTRUMENTS = 16;

    private static final long START_PRICE = 100 * TickFlyweight.PRICE_SCALE;
    private static final long ATTACH_TIMEOUT_S = 60;
    private static final long FULL_TIMEOUT_S = 10;
    private static final int TICK_FRAME_BYTES = (TickFlyweight.LENGTH + 8 + 7) & ~7;

    private final BroadcastProducer producer;
    private final AtomicBuffer control;
    private final TickFlyweight tick = new TickFlyweight();
    private final long[] prices = new long[INSTRUMENTS];
    private final long[] maxLagBytes;
    private long lagSamples;
    private long random = 0x2545F4914F6CDD1DL;
    private long sequence;

    private MarketDataPublisher(final BroadcastProducer producer)
    {
        this.producer = producer;
        this.control = producer.file().buffer();
        this.maxLagBytes = new long[producer.file().consumerSlots()];
        Arrays.fill(prices, START_PRICE);
    }

    /**
     * @param args duration in ms, ticks per burst, ms between bursts, the tick ring, the number of strategies.
     * @throws InterruptedException if interrupted while waiting for the strategies.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final long durationMs = Long.parseLong(args[0]);
        final int burst = Integer.parseInt(args[1]);
        final long intervalMs = Long.parseLong(args[2]);
        final int strategies = Integer.parseInt(args[4]);
        try (RingFile file = RingFile.open(Path.of(args[3]), RingKind.BROADCAST);
            BroadcastProducer producer = new BroadcastProducer(file)) // closing it ends the stream for every strategy
        {
            awaitConsumers(producer, strategies);
            new MarketDataPublisher(producer).run(durationMs / intervalMs, burst, TimeUnit.MILLISECONDS.toNanos(intervalMs));
        }
    }

    /**
     * A consumer joins at the tail: wait until every strategy reads, so none misses the first ticks.
     */
    private static void awaitConsumers(final BroadcastProducer producer, final int strategies) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTACH_TIMEOUT_S);
        while (producer.readingConsumers() < strategies)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException(producer.readingConsumers() + " of " + strategies + " strategies joined within " +
                    ATTACH_TIMEOUT_S + " s: path=" + producer.file().path());
            }
            Thread.sleep(5);
        }
    }

    private void run(final long bursts, final int burst, final long intervalNanos)
    {
        final WaitMeter meter = new WaitMeter();
        final long start = System.nanoTime();
        long writingNanos = 0;
        for (long b = 0; b < bursts; b++)
        {
            final long due = start + b * intervalNanos;
            for (long now = System.nanoTime(); now - due < 0; now = System.nanoTime())
            {
                LockSupport.parkNanos(due - now);
            }
            final long burstStart = System.nanoTime();
            for (int i = 0; i < burst; i++)
            {
                publishTick();
            }
            writingNanos += System.nanoTime() - burstStart;
            sampleLag();
        }
        report(bursts, burst, System.nanoTime() - start, writingNanos, meter); // before the end frame: strategies report after it
        final int index = TimedClaim.claim(producer, TickFlyweight.END_TYPE_ID, TickFlyweight.LENGTH, FULL_TIMEOUT_S, TimeUnit.SECONDS);
        tick.wrapForWrite(producer.buffer(), index).sequence(sequence).price(0).instrumentId(-1).quantity(0)
            .publishNanos(System.nanoTime());
        producer.commit(index);
    }

    private void publishTick()
    {
        final int instrument = (int)(sequence % INSTRUMENTS);
        final long step = nextRandom();
        prices[instrument] = Math.max(1, prices[instrument] + (Math.floorMod(step, 5) - 2)); // random walk, 2 price units at most
        final int quantity = 100 * (1 + (int)((step >>> 32) & 7));
        final int index = TimedClaim.claim(producer, TickFlyweight.TYPE_ID, TickFlyweight.LENGTH, FULL_TIMEOUT_S, TimeUnit.SECONDS);
        tick.wrapForWrite(producer.buffer(), index)
            .sequence(sequence)
            .instrumentId(instrument)
            .price(prices[instrument])
            .quantity(quantity)
            .publishNanos(System.nanoTime());
        producer.commit(index);
        sequence++;
    }

    /**
     * Right after a burst: bytes between the tail and each reading consumer (one volatile read a slot, no /proc).
     */
    private void sampleLag()
    {
        final long tail = producer.position();
        for (int slot = 0; slot < maxLagBytes.length; slot++)
        {
            final long position = control.getLongVolatile( // volatile: another process's latest position
                BroadcastDescriptor.consumerSlotOffset(slot) + BroadcastDescriptor.SLOT_POSITION_OFFSET);
            if (position != BroadcastDescriptor.NOT_READING)
            {
                maxLagBytes[slot] = Math.max(maxLagBytes[slot], tail - position);
            }
        }
        lagSamples++;
    }

    private long nextRandom()
    {
        random ^= random << 13; // xorshift64: no allocation, reproducible
        random ^= random >>> 7;
        random ^= random << 17;
        return random;
    }

    private void report(final long bursts, final int burst, final long elapsedNanos, final long writingNanos, final WaitMeter meter)
    {
        final Formatter report = new Formatter(new StringBuilder(), Locale.ROOT);
        final double seconds = elapsedNanos / 1e9;
        report.format("sent %,d ticks once, to %d strategies over one broadcast ring, in %,d bursts of %,d over %.2f s: " +
            "%,.0f ticks/s%n", sequence, producer.readingConsumers(), bursts, burst, seconds, sequence / seconds);
        report.format("writing in bursts: %,.0f ticks/s (%.1f us a burst); claims that found the ring full %,d; wake syscalls %,d%n",
            writingNanos > 0 ? sequence * 1e9 / writingNanos : 0.0, bursts > 0 ? Latency.micros(writingNanos / bursts) : 0.0,
            producer.file().counters().fullEvents(), producer.wakeups().wakeCalls());
        final StringBuilder lags = new StringBuilder();
        for (int slot = 0; slot < maxLagBytes.length; slot++)
        {
            lags.append(String.format(Locale.ROOT, "%s slot %d %,d ticks (%,d B)", slot == 0 ? "" : ";", slot,
                maxLagBytes[slot] / TICK_FRAME_BYTES, maxLagBytes[slot]));
        }
        report.format("strategy lag, largest right after a burst (%,d samples):%s; consumers dropped %,d%n", lagSamples, lags,
            producer.file().droppedConsumers());
        report.format("%s%n", meter.processLine());
        System.out.print(report); // one write, so the demo relays the report as one block
        System.out.flush();
    }
}
