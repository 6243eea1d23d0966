package io.shmring.examples.trading;

import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscProducer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Formatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The market-data process: publishes the same ticks to one SPSC ring per strategy, in bursts with idle gaps
 * between them (as real market data comes), writing each tick in place with {@code tryClaim} through a
 * {@link TickFlyweight}. After the last burst it writes an end frame carrying the tick count and closes
 * the rings, so each strategy can check it saw every tick and then stop.
 * <p>
 * Usage: {@code MarketDataPublisher <duration ms> <ticks per burst> <ms between bursts> <tick ring>...}
 */
public final class MarketDataPublisher
{
    /** Instruments the ticks cycle through. */
    public static final int INSTRUMENTS = 16;

    private static final long START_PRICE = 100 * TickFlyweight.PRICE_SCALE;
    private static final long ATTACH_TIMEOUT_S = 60;
    private static final long FULL_TIMEOUT_S = 10;

    private final SpscProducer[] producers;
    private final PatientClaim[] claims;
    private final TickFlyweight tick = new TickFlyweight();
    private final long[] prices = new long[INSTRUMENTS];
    private long random = 0x2545F4914F6CDD1DL;
    private long sequence;

    private MarketDataPublisher(final SpscProducer[] producers)
    {
        this.producers = producers;
        this.claims = new PatientClaim[producers.length];
        for (int i = 0; i < producers.length; i++)
        {
            claims[i] = new PatientClaim(producers[i], FULL_TIMEOUT_S, TimeUnit.SECONDS);
        }
        Arrays.fill(prices, START_PRICE);
    }

    /**
     * @param args duration in ms, ticks per burst, ms between bursts, then the tick ring files.
     * @throws InterruptedException if interrupted while waiting for the strategies.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final long durationMs = Long.parseLong(args[0]);
        final int burst = Integer.parseInt(args[1]);
        final long intervalMs = Long.parseLong(args[2]);
        final int rings = args.length - 3;
        final RingFile[] files = new RingFile[rings];
        final SpscProducer[] producers = new SpscProducer[rings];
        try
        {
            for (int i = 0; i < rings; i++)
            {
                files[i] = RingFile.open(Path.of(args[3 + i]), RingKind.SPSC);
                producers[i] = new SpscProducer(files[i]);
            }
            for (final RingFile file : files)
            {
                PatientClaim.awaitConsumer(file, ATTACH_TIMEOUT_S, TimeUnit.SECONDS);
            }
            new MarketDataPublisher(producers).run(durationMs / intervalMs, burst, TimeUnit.MILLISECONDS.toNanos(intervalMs));
        }
        finally
        {
            for (int i = 0; i < rings; i++)
            {
                if (producers[i] != null)
                {
                    producers[i].close(); // the strategy sees the end of the stream
                }
                if (files[i] != null)
                {
                    files[i].close();
                }
            }
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
        }
        report(bursts, burst, System.nanoTime() - start, writingNanos, meter); // before the end frames: strategies report after them
        for (int r = 0; r < producers.length; r++)
        {
            final int index = claims[r].claim(TickFlyweight.END_TYPE_ID, TickFlyweight.LENGTH);
            tick.wrapForWrite(producers[r].buffer(), index).sequence(sequence).price(0).instrumentId(-1).quantity(0)
                .publishNanos(System.nanoTime());
            producers[r].commit(index);
        }
    }

    private void publishTick()
    {
        final int instrument = (int)(sequence % INSTRUMENTS);
        final long step = nextRandom();
        prices[instrument] = Math.max(1, prices[instrument] + (Math.floorMod(step, 5) - 2)); // random walk, 2 price units at most
        final int quantity = 100 * (1 + (int)((step >>> 32) & 7));
        for (int r = 0; r < producers.length; r++)
        {
            final SpscProducer producer = producers[r];
            final int index = claims[r].claim(TickFlyweight.TYPE_ID, TickFlyweight.LENGTH);
            tick.wrapForWrite(producer.buffer(), index)
                .sequence(sequence)
                .instrumentId(instrument)
                .price(prices[instrument])
                .quantity(quantity)
                .publishNanos(System.nanoTime());
            producer.commit(index);
        }
        sequence++;
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
        long fullCount = 0;
        final StringBuilder wakes = new StringBuilder();
        for (int r = 0; r < producers.length; r++)
        {
            fullCount += claims[r].fullCount();
            wakes.append(r == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%,d", producers[r].wakeups().wakeCalls()));
        }
        final double seconds = elapsedNanos / 1e9;
        report.format("sent %,d ticks to each of %d rings in %,d bursts of %,d over %.2f s: %,.0f ticks/s per ring%n",
            sequence, producers.length, bursts, burst, seconds, sequence / seconds);
        report.format("writing in bursts: %,.0f ticks/s per ring (%.1f us a burst); ring full %,d times; " +
            "wake syscalls %s%n", writingNanos > 0 ? sequence * 1e9 / writingNanos : 0.0,
            bursts > 0 ? Latency.micros(writingNanos / bursts) : 0.0, fullCount, wakes);
        report.format("%s%n", meter.processLine());
        System.out.print(report); // one write, so the demo relays the report as one block
        System.out.flush();
    }
}
