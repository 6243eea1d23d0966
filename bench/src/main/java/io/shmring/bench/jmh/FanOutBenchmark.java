package io.shmring.bench.jmh;

import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastConsumer;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer thread fanning each message out to 1, 2 or 4 consumer threads, in one process: a lossless broadcast ring
 * against one SPSC ring per consumer (the producer writes every message once per consumer), and a lossy broadcast ring
 * against Agrona's {@code BroadcastTransmitter} and {@code BroadcastReceiver}s, each receiver copying a message and
 * validating it before counting it, as shmring's lossy consumer does (neither holds the producer back). The score is messages the producer published per microsecond; lossless
 * rows are gated by the slowest consumer, lossy rows are not (what each consumer received is printed at the end of the
 * trial). Every consumer thread spins: on a machine with fewer cores than threads the figures measure the scheduler
 * too, so compare rows of one run only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class FanOutBenchmark
{
    private static final int CAPACITY = 1 << 16;
    private static final int TYPE_ID = 1;
    private static final int SIZE = 32;

    @Param({ "1", "2", "4" })
    int consumers;

    @Param({ "broadcastLossless", "spscPerConsumer", "broadcastLossy", "agronaBroadcast" })
    String ring;

    private final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicLong> received = new ArrayList<>();
    private final List<AutoCloseable> ends = new ArrayList<>();
    private volatile boolean running;
    private RingFile broadcastFile;
    private BroadcastProducer broadcast;
    private final List<RingFile> spscFiles = new ArrayList<>();
    private SpscProducer[] spsc;
    private BroadcastTransmitter transmitter;
    private final List<long[]> agronaTorn = new ArrayList<>();
    private final List<BroadcastReceiver> agronaReceivers = new ArrayList<>();
    private long published;

    @Setup(Level.Trial)
    public void setUp()
    {
        running = true;
        switch (ring)
        {
            case "broadcastLossless":
            case "broadcastLossy":
            {
                final BroadcastConfig config = ring.equals("broadcastLossy") ? BroadcastConfig.lossy(consumers) :
                    BroadcastConfig.lossless(consumers).withStallTimeoutMs(BroadcastDescriptor.MAX_STALL_TIMEOUT_MS);
                broadcastFile = RingFile.allocateDirect(RingConfig.broadcast(CAPACITY, config));
                broadcast = new BroadcastProducer(broadcastFile);
                for (int i = 0; i < consumers; i++)
                {
                    final BroadcastConsumer consumer = new BroadcastConsumer(broadcastFile);
                    ends.add(consumer);
                    startReader(consumer);
                }
                break;
            }
            case "spscPerConsumer":
            {
                spsc = new SpscProducer[consumers];
                for (int i = 0; i < consumers; i++)
                {
                    final RingFile file = RingFile.allocateDirect(RingConfig.spsc(CAPACITY));
                    spscFiles.add(file);
                    spsc[i] = new SpscProducer(file);
                    final SpscConsumer consumer = new SpscConsumer(file);
                    ends.add(consumer);
                    startReader(consumer);
                }
                break;
            }
            case "agronaBroadcast":
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH));
                transmitter = new BroadcastTransmitter(buffer);
                for (int i = 0; i < consumers; i++)
                {
                    startAgronaReader(new BroadcastReceiver(buffer));
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown ring: " + ring);
        }
    }

    @Benchmark
    public void publish()
    {
        published++;
        switch (ring)
        {
            case "broadcastLossless":
                while (!broadcast.offer(TYPE_ID, source, 0, SIZE))
                {
                    Thread.onSpinWait(); // the slowest consumer holds the producer back
                }
                break;
            case "broadcastLossy":
                broadcast.offer(TYPE_ID, source, 0, SIZE); // never refused
                break;
            case "spscPerConsumer":
                for (final SpscProducer producer : spsc)
                {
                    while (!producer.offer(TYPE_ID, source, 0, SIZE))
                    {
                        Thread.onSpinWait();
                    }
                }
                break;
            default:
                transmitter.transmit(TYPE_ID, source, 0, SIZE);
                break;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        running = false;
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%n%s, %d consumers: %,d published, received",
            ring, consumers, published));
        for (final AtomicLong count : received)
        {
            line.append(String.format(Locale.ROOT, " %,d", count.get()));
        }
        for (final AutoCloseable end : ends)
        {
            if (end instanceof BroadcastConsumer && ((BroadcastConsumer)end).laps() > 0)
            {
                line.append(String.format(Locale.ROOT, "; laps %,d", ((BroadcastConsumer)end).laps()));
            }
        }
        for (int i = 0; i < agronaReceivers.size(); i++)
        {
            line.append(String.format(Locale.ROOT, "; laps %,d, torn copies discarded %,d", agronaReceivers.get(i).lappedCount(),
                agronaTorn.get(i)[0]));
        }
        System.out.println(line);
        for (final AutoCloseable end : ends)
        {
            end.close();
        }
        if (broadcast != null)
        {
            broadcast.close();
            broadcastFile.close();
        }
        if (spsc != null)
        {
            for (int i = 0; i < spsc.length; i++)
            {
                spsc[i].close();
                spscFiles.get(i).close();
            }
        }
    }

    private void startReader(final Subscriber subscriber)
    {
        final AtomicLong count = new AtomicLong();
        received.add(count);
        final MessageHandler handler = (typeId, buffer, offset, length) -> count.lazySet(count.get() + 1);
        start(() ->
        {
            while (running)
            {
                if (subscriber.poll(handler, 64) <= 0)
                {
                    Thread.onSpinWait();
                }
            }
        });
    }

    /**
     * Copy, then validate, then count, as Agrona's CopyBroadcastReceiver does (which throws once lapped instead).
     */
    private void startAgronaReader(final BroadcastReceiver receiver)
    {
        final AtomicLong count = new AtomicLong();
        received.add(count);
        final long[] torn = new long[1];
        agronaTorn.add(torn);
        agronaReceivers.add(receiver);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SIZE]);
        start(() ->
        {
            while (running)
            {
                if (!receiver.receiveNext())
                {
                    Thread.onSpinWait();
                    continue;
                }
                copy.putBytes(0, receiver.buffer(), receiver.offset(), Math.min(SIZE, receiver.length()));
                if (receiver.validate())
                {
                    count.lazySet(count.get() + 1);
                }
                else
                {
                    torn[0]++;
                }
            }
        });
    }

    private void start(final Runnable reader)
    {
        final Thread thread = new Thread(reader, "fan-out-reader-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }
}
