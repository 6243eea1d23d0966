package io.shmring.bench.jmh;

import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one message through shmring's MPSC ring on one thread — send, then receive — by offer and poll, by claim,
 * commit and poll, and by the timed offer and take when neither has to wait (their first try succeeds: the path every
 * blocking call of an active flow takes). The ring lives in direct memory. Run with {@code -prof gc}: the goal is
 * 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class MpscRingBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;

    @Param({ "32", "256" })
    int size;

    private RingFile file;
    private MpscProducer producer;
    private MpscConsumer consumer;
    private UnsafeBuffer source;
    private SingleThreadRingBenchmark.Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        file = RingFile.allocateDirect(RingConfig.mpsc(CAPACITY));
        producer = new MpscProducer(file);
        consumer = new MpscConsumer(file);
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        sink = new SingleThreadRingBenchmark.Sink(blackhole);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        producer.close();
        consumer.close();
        file.close();
    }

    @Benchmark
    public int offerPoll()
    {
        producer.offer(TYPE_ID, source, 0, size);
        return consumer.poll(sink, 1);
    }

    @Benchmark
    public int claimCommitPoll()
    {
        final int index = producer.tryClaim(TYPE_ID, size);
        producer.buffer().putLong(index, index);
        producer.commit(index);
        return consumer.poll(sink, 1);
    }

    @Benchmark
    public int timedOfferTake() throws InterruptedException
    {
        producer.offer(TYPE_ID, source, 0, size, 1, TimeUnit.SECONDS);
        return consumer.take(sink, 1, 1, TimeUnit.SECONDS);
    }

    @Benchmark
    public int timedClaimCommitTake() throws InterruptedException
    {
        final int index = producer.tryClaim(TYPE_ID, size, 1, TimeUnit.SECONDS);
        producer.buffer().putLong(index, index);
        producer.commit(index);
        return consumer.take(sink, 1, 1, TimeUnit.SECONDS);
    }
}
