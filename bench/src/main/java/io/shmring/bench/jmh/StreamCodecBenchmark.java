package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.core.internal.stream.FrameReader;
import io.shmring.core.internal.stream.FrameWriter;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the stream transports' frame codec on one thread, without a kernel: {@link FrameWriter}
 * encodes a frame (header + payload) into its send buffer and writes it to an in-memory channel,
 * {@link FrameReader} reads it back and hands the message to a handler in place. Run with
 * {@code -prof gc}: the goal is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class StreamCodecBenchmark
{
    private static final int TYPE_ID = 1;
    private static final int MAX_MESSAGE_LENGTH = 64 * 1024;

    @Param({ "32", "256", "4096" })
    int size;

    private FrameWriter writer;
    private FrameReader reader;
    private UnsafeBuffer source;
    private MessageHandler sink;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        final LoopbackChannel channel = new LoopbackChannel(4 * MAX_MESSAGE_LENGTH);
        writer = new FrameWriter(channel, MAX_MESSAGE_LENGTH, 0);
        reader = new FrameReader(channel, MAX_MESSAGE_LENGTH);
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        sink = (typeId, buffer, offset, length) -> blackhole.consume(buffer.getLong(offset));
    }

    @Benchmark
    public int writeRead() throws Exception
    {
        writer.write(TYPE_ID, source, 0, size);
        return reader.poll(sink, 1);
    }

    @Benchmark
    public int claimCommitRead() throws Exception
    {
        final int index = writer.claimIndex();
        writer.buffer().putLong(index, index);
        writer.commitClaim(TYPE_ID, size);
        return reader.poll(sink, 1);
    }
}
