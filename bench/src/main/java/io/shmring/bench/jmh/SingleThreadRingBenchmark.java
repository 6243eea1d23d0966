package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
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
 * Cost of one message through a ring on one thread — send, then receive — for shmring's SPSC and MPSC rings
 * and, as the peers in the same run, Agrona's OneToOneRingBuffer and ManyToOneRingBuffer. All rings live in
 * direct memory of the same capacity. Run with {@code -prof gc} to see allocation per operation (the goal is 0 B/op).
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
    private RingFile mpscFile;
    private MpscProducer mpscProducer;
    private MpscConsumer mpscConsumer;
    private ManyToOneRingBuffer agronaManyToOne;
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
        mpscFile = RingFile.allocateDirect(RingConfig.mpsc(CAPACITY));
        mpscProducer = new MpscProducer(mpscFile);
        mpscConsumer = new MpscConsumer(mpscFile);
        agronaManyToOne = new ManyToOneRingBuffer(
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
        mpscProducer.close();
        mpscConsumer.close();
        mpscFile.close();
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
    /**
     * MPSC: the producer table's reservation, the claim and commit CASes and the consumer's checks, on one thread, so no
     * cache line moves between cores: the protocol's instruction and atomic cost alone.
     */
    @Benchmark
    public int shmringMpscOfferPoll()
    {
        mpscProducer.offer(TYPE_ID, source, 0, size);
        return mpscConsumer.poll(sink, 1);
    }

    @Benchmark
    public int agronaManyToOneWriteRead()
    {
        agronaManyToOne.write(TYPE_ID, source, 0, size);
        return agronaRead(agronaManyToOne);
    }

    private int agronaRead()
    {
        return agronaRead(agrona);
    }

    private int agronaRead(final org.agrona.concurrent.ringbuffer.RingBuffer ring)
    {
        final int read = ring.read(sink, 1);
        return read != 0 ? read : ring.read(sink, 1); // the first read may only skip the padding at the ring's end
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
