package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.internal.stream.Pipes;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.DirectBuffer;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one message through a {@link Publisher} and {@link Subscriber} pair on one thread — send, then receive — for
 * an SPSC ring, an MPSC ring (both in direct memory) and the stream adapters over a kernel pipe (every message a write
 * and a read system call): by offer and poll, by claim, commit and poll, and by the timed offer or claim and the take
 * when neither has to wait (their first try succeeds: the path every blocking call of an active flow takes). Run with
 * {@code -prof gc}: the goal is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class EndpointBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;
    private static final int MAX_STREAM_MESSAGE_LENGTH = 64 * 1024;

    @Param({ "spsc", "mpsc", "pipe" })
    String transport;

    @Param({ "32", "256" })
    int size;

    private RingFile file;
    private Publisher publisher;
    private Subscriber subscriber;
    private UnsafeBuffer source;
    private SingleThreadRingBenchmark.Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole) throws IOException
    {
        switch (transport)
        {
            case "spsc" ->
            {
                file = RingFile.allocateDirect(RingConfig.spsc(CAPACITY));
                publisher = new SpscProducer(file);
                subscriber = new SpscConsumer(file);
            }
            case "mpsc" ->
            {
                file = RingFile.allocateDirect(RingConfig.mpsc(CAPACITY));
                publisher = new MpscProducer(file);
                subscriber = new MpscConsumer(file);
            }
            case "pipe" ->
            {
                final Pipe pipe = Pipe.open();
                publisher = Pipes.publisher("bench-pipe", pipe.sink(), MAX_STREAM_MESSAGE_LENGTH, 0);
                subscriber = Pipes.subscriber("bench-pipe", pipe.source(), MAX_STREAM_MESSAGE_LENGTH);
            }
            default -> throw new IllegalArgumentException("unknown transport: " + transport);
        }
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        sink = new SingleThreadRingBenchmark.Sink(blackhole);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        publisher.close();
        subscriber.close();
        if (file != null)
        {
            file.close();
        }
    }

    @Benchmark
    public int offerPoll()
    {
        return offerPoll(publisher, subscriber, source, size, sink);
    }

    @Benchmark
    public int claimCommitPoll()
    {
        return claimCommitPoll(publisher, subscriber, size, sink);
    }

    @Benchmark
    public int timedOfferTake() throws InterruptedException
    {
        publisher.offer(TYPE_ID, source, 0, size, 1, TimeUnit.SECONDS);
        return subscriber.take(sink, 1, 1, TimeUnit.SECONDS);
    }

    @Benchmark
    public int timedClaimCommitTake() throws InterruptedException
    {
        final int index = publisher.tryClaim(TYPE_ID, size, 1, TimeUnit.SECONDS);
        publisher.buffer().putLong(index, index);
        publisher.commit(index);
        return subscriber.take(sink, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * One message by offer, then a poll for it (also {@link SingleThreadRingBenchmark}'s shmring body).
     */
    static int offerPoll(final Publisher publisher, final Subscriber subscriber, final DirectBuffer source, final int size,
        final MessageHandler sink)
    {
        publisher.offer(TYPE_ID, source, 0, size);
        return subscriber.poll(sink, 1);
    }

    /**
     * One message by claim and commit (a long written in place), then a poll for it.
     */
    static int claimCommitPoll(final Publisher publisher, final Subscriber subscriber, final int size,
        final MessageHandler sink)
    {
        final int index = publisher.tryClaim(TYPE_ID, size);
        publisher.buffer().putLong(index, index);
        publisher.commit(index);
        return subscriber.poll(sink, 1);
    }
}
