package io.shmring.bench.jmh;

import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * Cost of one message through an MPSC ring on one thread — offer, then poll — for shmring's MPSC ring and, as the
 * peer in the same run, Agrona's ManyToOneRingBuffer, both in direct memory of the same capacity. No other core
 * touches the lines, so this is the instruction and atomic cost of the protocol alone, without the cache-line
 * transfers of the cross-process harness. Run with {@code -prof gc} to see allocation per operation (0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class MpscSingleThreadBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;

    @Param({ "64", "256" })
    int size;

    private RingFile file;
    private MpscProducer producer;
    private MpscConsumer consumer;
    private ManyToOneRingBuffer agrona;
    private UnsafeBuffer source;
    private SingleThreadRingBenchmark.Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        file = RingFile.allocateDirect(RingConfig.mpsc(CAPACITY));
        producer = new MpscProducer(file);
        consumer = new MpscConsumer(file);
        agrona = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
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
    public int shmringOfferPoll()
    {
        producer.offer(TYPE_ID, source, 0, size);
        return consumer.poll(sink, 1);
    }

    @Benchmark
    public int agronaWriteRead()
    {
        agrona.write(TYPE_ID, source, 0, size);
        final int read = agrona.read(sink, 1);
        return read != 0 ? read : agrona.read(sink, 1); // the first read may only skip the padding at the ring's end
    }
}
