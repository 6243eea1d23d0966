package io.shmring.bench.jmh;

import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.sync.BlockingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The blocking calls that sleep and are woken, between two threads of one process, every wait sleeping at once
 * ({@link BlockingWaitStrategy#sleepOnly()}, FUTEX_WAIT on the ring's wake line): {@code pingPong}, a request and a
 * reply over two SPSC rings, where each side's timed take sleeps until the other's offer wakes it; {@code fullRing}, a
 * producer whose timed offer finds a small ring full and sleeps until the consumer (slowed by a few µs of work a
 * message), itself asleep in its take whenever the ring is empty, frees space. The sleep and wake counts of each
 * line are printed at the end of the trial. A wait that times out (10 ms: only at the end of an iteration, when the
 * other thread stopped) returns 0 and counts as an operation. Run with {@code -prof gc}: the allocation per operation
 * covers both threads; the goal is 0 B/op.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SleepingWakeBenchmark
{
    private static final int TYPE_ID = 1;
    private static final int PING_CAPACITY = 1 << 16;
    private static final int PING_SIZE = 32;
    /** Eight messages fill the small ring (its longest message is an eighth of it): the producer sleeps on it often. */
    private static final int FULL_CAPACITY = 4096;
    private static final int FULL_SIZE = 504;
    private static final long WAIT_MS = 10;
    /** Work the full ring's consumer does per message (a few µs), so that its producer finds the ring full and sleeps. */
    private static final long CONSUMER_WORK_TOKENS = 2_000;

    private final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(FULL_SIZE));
    private RingFile pingFile;
    private RingFile pongFile;
    private RingFile fullFile;
    private SpscProducer pingProducer;
    private SpscConsumer pingConsumer;
    private SpscProducer pongProducer;
    private SpscConsumer pongConsumer;
    private SpscProducer fullProducer;
    private SpscConsumer fullConsumer;
    private SingleThreadRingBenchmark.Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        pingFile = RingFile.allocateDirect(RingConfig.spsc(PING_CAPACITY));
        pongFile = RingFile.allocateDirect(RingConfig.spsc(PING_CAPACITY));
        fullFile = RingFile.allocateDirect(RingConfig.spsc(FULL_CAPACITY));
        pingProducer = new SpscProducer(pingFile, BlockingWaitStrategy.sleepOnly());
        pingConsumer = new SpscConsumer(pingFile, BlockingWaitStrategy.sleepOnly());
        pongProducer = new SpscProducer(pongFile, BlockingWaitStrategy.sleepOnly());
        pongConsumer = new SpscConsumer(pongFile, BlockingWaitStrategy.sleepOnly());
        fullProducer = new SpscProducer(fullFile, BlockingWaitStrategy.sleepOnly());
        fullConsumer = new SpscConsumer(fullFile, BlockingWaitStrategy.sleepOnly());
        sink = new SingleThreadRingBenchmark.Sink(blackhole);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        System.out.printf("%nping take: %s%nfull-ring offer: %s%nfull-ring take: %s%n", pongConsumer.wakeups().notEmpty(),
            fullProducer.wakeups().notFull(), fullConsumer.wakeups().notEmpty());
        for (final AutoCloseable end : new AutoCloseable[] { pingProducer, pingConsumer, pongProducer, pongConsumer,
            fullProducer, fullConsumer, pingFile, pongFile, fullFile })
        {
            try
            {
                end.close();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("closing " + end, ex);
            }
        }
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public int ping() throws InterruptedException
    {
        pingProducer.offer(TYPE_ID, source, 0, PING_SIZE); // never full: one request in flight (a few after a timeout)
        return pongConsumer.take(sink, 1, WAIT_MS, TimeUnit.MILLISECONDS); // sleeps until the reply wakes it
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public int pong() throws InterruptedException
    {
        final int taken = pingConsumer.take(sink, 1, WAIT_MS, TimeUnit.MILLISECONDS); // sleeps until the request
        if (taken > 0)
        {
            pongProducer.offer(TYPE_ID, source, 0, PING_SIZE);
        }
        return taken;
    }

    @Benchmark
    @Group("fullRing")
    @GroupThreads(1)
    public boolean timedOffer() throws InterruptedException
    {
        return fullProducer.offer(TYPE_ID, source, 0, FULL_SIZE, WAIT_MS, TimeUnit.MILLISECONDS); // sleeps while full
    }

    @Benchmark
    @Group("fullRing")
    @GroupThreads(1)
    public int timedTake() throws InterruptedException
    {
        final int taken = fullConsumer.take(sink, 1, WAIT_MS, TimeUnit.MILLISECONDS); // sleeps while empty
        Blackhole.consumeCPU(CONSUMER_WORK_TOKENS); // slower than the producer, so that the ring fills
        return taken;
    }
}
