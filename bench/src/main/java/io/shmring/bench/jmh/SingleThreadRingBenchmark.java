package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
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
 * Cost of one message through a ring on one thread — send, then receive — for shmring's SPSC ring
 * and, as the peer in the same run, Agrona's OneToOneRingBuffer. Both rings live in direct memory of
 * the same capacity. Run with {@code -prof gc} to see allocation per operation (the goal is 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SingleThreadRingBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;

    @Param({ "32", "256" })
    int size;

    private RingFile file;
    private SpscProducer producer;
    private SpscConsumer consumer;
    private OneToOneRingBuffer agrona;
    private UnsafeBuffer source;
    private Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        file = RingFile.allocateDirect(RingConfig.spsc(CAPACITY));
        producer = new SpscProducer(file);
        consumer = new SpscConsumer(file);
        agrona = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        sink = new Sink(blackhole);
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
        return EndpointBenchmark.offerPoll(producer, consumer, source, size, sink);
    }

    @Benchmark
    public int shmringClaimCommitPoll()
    {
        return EndpointBenchmark.claimCommitPoll(producer, consumer, size, sink);
    }

    @Benchmark
    public int agronaWriteRead()
    {
        agrona.write(TYPE_ID, source, 0, size);
        return agronaRead();
    }

    @Benchmark
    public int agronaClaimCommitRead()
    {
        final int index = agrona.tryClaim(TYPE_ID, size);
        agrona.buffer().putLong(index, index);
        agrona.commit(index);
        return agronaRead();
    }

    /**
     * Agrona's read stops at the end of the buffer after skipping a padding record, so at each wrap it
     * returns 0 and leaves the message behind; without a second read the backlog grows by one per wrap
     * until the ring fills (then tryClaim returns a negative index). shmring's poll continues past padding.
     */
    private int agronaRead()
    {
        final int read = agrona.read(sink, 1);
        return read != 0 ? read : agrona.read(sink, 1);
    }

    /**
     * One handler for both rings, so neither pays for a different consumer body.
     */
    static final class Sink implements MessageHandler, org.agrona.concurrent.MessageHandler
    {
        private final Blackhole blackhole;

        Sink(final Blackhole blackhole)
        {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            blackhole.consume(buffer.getLong(offset));
        }

        @Override
        public void onMessage(final int typeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
        {
            blackhole.consume(buffer.getLong(index));
        }
    }
}
