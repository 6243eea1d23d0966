package io.shmring.bench.jmh;

import io.shmring.core.internal.stream.Pipes;
import io.shmring.core.internal.stream.StreamPublisher;
import io.shmring.core.internal.stream.StreamSubscriber;
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
 * The stream adapters' publisher and subscriber over a real kernel pipe, on one thread: publish (offer, or claim and
 * commit), then poll (a non-blocking read) or take (the message is there: it returns without waiting). Unlike
 * {@link StreamCodecBenchmark}, every message crosses the kernel (a write and a read system call). Run with
 * {@code -prof gc}: the goal is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class StreamAdapterBenchmark
{
    private static final int TYPE_ID = 1;
    private static final int MAX_MESSAGE_LENGTH = 64 * 1024;

    @Param({ "32", "256" })
    int size;

    private StreamPublisher publisher;
    private StreamSubscriber subscriber;
    private UnsafeBuffer source;
    private SingleThreadRingBenchmark.Sink sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole) throws IOException
    {
        final Pipe pipe = Pipe.open();
        publisher = Pipes.publisher("bench-pipe", pipe.sink(), MAX_MESSAGE_LENGTH, 0);
        subscriber = Pipes.subscriber("bench-pipe", pipe.source(), MAX_MESSAGE_LENGTH);
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        sink = new SingleThreadRingBenchmark.Sink(blackhole);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        publisher.close();
        subscriber.close();
    }

    @Benchmark
    public int offerPoll()
    {
        publisher.offer(TYPE_ID, source, 0, size);
        return subscriber.poll(sink, 1);
    }

    @Benchmark
    public int claimCommitPoll()
    {
        final int index = publisher.tryClaim(TYPE_ID, size);
        publisher.buffer().putLong(index, index);
        publisher.commit(index);
        return subscriber.poll(sink, 1);
    }

    @Benchmark
    public int offerTake() throws InterruptedException
    {
        publisher.offer(TYPE_ID, source, 0, size);
        return subscriber.take(sink, 1, 1, TimeUnit.SECONDS);
    }
}
