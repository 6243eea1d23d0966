package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
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
 * Two threads sharing one MPSC producer (claim and commit, or offer) while a third thread polls, in one process: the
 * claim's CAS and the commit under contention. A claim or offer that finds the ring full returns at once (counted as
 * an operation too). Every thread spins: on a machine with fewer cores than threads the figures measure the scheduler
 * too. Run with {@code -prof gc}: the allocation per operation covers all three threads; the goal is 0 B/op.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class MpscContendedBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;
    private static final int SIZE = 32;

    private final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
    private RingFile file;
    private MpscProducer producer;
    private MpscConsumer consumer;
    private MessageHandler sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        file = RingFile.allocateDirect(RingConfig.mpsc(CAPACITY));
        producer = new MpscProducer(file);
        consumer = new MpscConsumer(file);
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
    @Group("claim")
    @GroupThreads(2)
    public int claimCommit()
    {
        final int index = producer.tryClaim(TYPE_ID, SIZE);
        if (index >= 0)
        {
            producer.buffer().putLong(index, index);
            producer.commit(index);
        }
        return index;
    }

    @Benchmark
    @Group("claim")
    @GroupThreads(1)
    public int claimPoll()
    {
        return consumer.poll(sink, 64);
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(2)
    public boolean offer()
    {
        return producer.offer(TYPE_ID, source, 0, SIZE);
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(1)
    public int offerPoll()
    {
        return consumer.poll(sink, 64);
    }
}
