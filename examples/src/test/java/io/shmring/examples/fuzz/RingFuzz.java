package io.shmring.examples.fuzz;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.InsecureFileException;
import io.shmring.core.ShmringException;
import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import io.shmring.examples.stat.RingReport;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A seeded fuzz of ring files (issue 13): each case makes a small ring in /dev/shm holding real traffic (wrapped,
 * partly consumed), closes it, breaks one thing in the file — a header field, a control field, a wake line, a party
 * record or producer slot, a frame header, data bytes, its length — and drives it through the real API: open, the
 * {@code stat} report, a consumer's take, a producer's offer and claim. Each case must end, in bounded time, with a
 * documented exception or a correct result, and leave head and tail either valid or exactly as the mutation left them.
 * A case is reproduced from the seed and its number alone.
 */
final class RingFuzz
{
    enum Mutation
    {
        HEADER, CONTROL, WAKE_LINE, PRODUCER_TABLE, FRAME_HEADER, DATA, TRUNCATION, EXTENSION
    }

    private static final int TYPE_ID = 5;
    private static final long TAKE_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final long seed;
    private final Map<Mutation, Integer> casesByMutation = new TreeMap<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    RingFuzz(final long seed)
    {
        this.seed = seed;
    }

    Map<Mutation, Integer> casesByMutation()
    {
        return casesByMutation;
    }

    Map<String, Integer> outcomes()
    {
        return outcomes;
    }

    /**
     * Run one case.
     *
     * @param caseNumber the case; with the seed it decides everything.
     * @throws AssertionError naming seed and case if the case broke a rule.
     */
    void run(final int caseNumber) throws IOException
    {
        final Random random = new Random(seed ^ (caseNumber * 0x9E3779B97F4A7C15L));
        final Path path = TestPaths.uniqueShmPath("fuzz");
        try
        {
            final Case fuzzCase = new Case(random, path, caseNumber);
            fuzzCase.prepare();
            fuzzCase.mutate();
            final String outcome = fuzzCase.drive();
            casesByMutation.merge(fuzzCase.mutation, 1, Integer::sum);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        finally
        {
            TestPaths.deleteQuietly(path);
        }
    }

    private final class Case
    {
        private final Random random;
        private final Path path;
        private final int caseNumber;
        private final RingKind kind;
        private final int capacity;
        private final int maxMessageLength;
        private final List<byte[]> pending = new ArrayList<>();
        private final List<Long> framePositions = new ArrayList<>();
        private Mutation mutation;
        private String detail = "";
        private boolean contentMustMatch;
        private long mutatedHead;
        private long mutatedTail;

        Case(final Random random, final Path path, final int caseNumber)
        {
            this.random = random;
            this.path = path;
            this.caseNumber = caseNumber;
            this.kind = random.nextBoolean() ? RingKind.SPSC : RingKind.MPSC;
            this.capacity = random.nextBoolean() ? 4096 : 8192;
            this.maxMessageLength = random.nextBoolean() ? capacity / 8 : 100 + random.nextInt(capacity / 4);
        }

        /**
         * A ring with traffic: messages sent and partly consumed until the positions have wrapped at least once.
         */
        void prepare()
        {
            final RingConfig config = (kind == RingKind.SPSC ? RingConfig.spsc(capacity) : RingConfig.mpsc(capacity).withProducerSlots(4))
                .withMaxMessageLength(maxMessageLength);
            try (RingFile file = RingFile.create(path, config))
            {
                final Publisher producer = kind == RingKind.SPSC ? new SpscProducer(file) : new MpscProducer(file);
                final Subscriber consumer = kind == RingKind.SPSC ? new SpscConsumer(file) : new MpscConsumer(file);
                final int messages = 1 + random.nextInt(3 * capacity / 64);
                for (int i = 0; i < messages; i++)
                {
                    final byte[] payload = new byte[random.nextInt(Math.min(maxMessageLength, 300) + 1)];
                    random.nextBytes(payload);
                    while (!producer.offer(TYPE_ID, new UnsafeBuffer(payload), 0, payload.length))
                    {
                        consumer.poll(discard(), 1 + random.nextInt(8));
                    }
                    pending.add(payload);
                    if (random.nextInt(4) == 0)
                    {
                        consumer.poll(discard(), random.nextInt(8));
                    }
                }
                producer.close();
                consumer.close();
                recordPendingFrames(file);
            }
        }

        private MessageHandler discard()
        {
            return (typeId, buffer, offset, length) -> pending.remove(0);
        }

        private void recordPendingFrames(final RingFile file)
        {
            final long tail = file.producerPosition();
            long position = file.consumerPosition();
            while (position < tail)
            {
                framePositions.add(position);
                final int length = file.data().getInt((int)(position & (capacity - 1)));
                position += (length + 7) & -8;
            }
        }

        void mutate() throws IOException
        {
            mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                final long dataStart = RingDescriptor.dataStart(kind == RingKind.SPSC ? 0 : 4);
                switch (mutation)
                {
                    case HEADER:
                    {
                        final int offset = random.nextInt(RingDescriptor.HEADER_FIELDS_LENGTH / 4) * 4;
                        putInt(channel, offset, interestingInt());
                        contentMustMatch = true; // if the file still opens, nothing it holds has changed meaning
                        break;
                    }
                    case CONTROL:
                        mutateControl(channel);
                        break;
                    case WAKE_LINE:
                    {
                        final int line = random.nextBoolean() ? RingDescriptor.NOT_EMPTY_WAKE_OFFSET : RingDescriptor.NOT_FULL_WAKE_OFFSET;
                        final int[] fields = { WakeLineDescriptor.SEQUENCE_OFFSET, WakeLineDescriptor.WAITERS_OFFSET,
                            WakeLineDescriptor.WAKE_PENDING_OFFSET };
                        final int field = fields[random.nextInt(fields.length)];
                        putInt(channel, line + field, interestingInt());
                        detail = "line " + line + " +" + field;
                        contentMustMatch = true;
                        break;
                    }
                    case PRODUCER_TABLE:
                        mutateParties(channel);
                        contentMustMatch = true;
                        break;
                    case FRAME_HEADER:
                    {
                        final long position = framePositions.isEmpty() ?
                            random.nextInt(capacity / 8) * 8L : framePositions.get(random.nextInt(framePositions.size()));
                        final long offset = dataStart + (position & (capacity - 1)) + (random.nextBoolean() ? 0 : 4);
                        putInt(channel, offset, interestingInt());
                        detail = "frame at " + position + " +" + (offset - dataStart - (position & (capacity - 1)));
                        break;
                    }
                    case DATA:
                    {
                        final byte[] noise = new byte[1 + random.nextInt(64)];
                        random.nextBytes(noise);
                        final long offset = dataStart + random.nextInt(capacity - noise.length);
                        channel.write(ByteBuffer.wrap(noise), offset);
                        detail = noise.length + " bytes at data index " + (offset - dataStart);
                        break;
                    }
                    case TRUNCATION:
                    {
                        final long length = random.nextInt((int)channel.size());
                        channel.truncate(length);
                        detail = "to " + length;
                        break;
                    }
                    case EXTENSION:
                    {
                        final int extra = 1 + random.nextInt(3 * 4096);
                        channel.write(ByteBuffer.allocate(1), channel.size() + extra - 1);
                        detail = "by " + extra;
                        contentMustMatch = true;
                        break;
                    }
                    default:
                        throw new IllegalStateException("unknown mutation " + mutation);
                }
                if (channel.size() >= RingDescriptor.CONTROL_BLOCK_OFFSET + 4096)
                {
                    mutatedHead = getLong(channel, RingDescriptor.HEAD_OFFSET);
                    mutatedTail = getLong(channel, RingDescriptor.TAIL_OFFSET);
                }
            }
        }

        private void mutateControl(final FileChannel channel) throws IOException
        {
            final int[] fields = { RingDescriptor.TAIL_OFFSET, RingDescriptor.HEAD_CACHE_OFFSET, RingDescriptor.HEAD_OFFSET,
                RingDescriptor.RELEASE_TARGET_OFFSET, RingDescriptor.RECOVERED_CLAIMS_OFFSET, RingDescriptor.STREAM_OFFSET,
                RingDescriptor.RING_STATE_OFFSET };
            final int field = fields[random.nextInt(fields.length)];
            detail = "field at " + field;
            if (field == RingDescriptor.RING_STATE_OFFSET)
            {
                // 1 (retiring) is waited out for 5 s by design (tested by the lifecycle tests): not worth the fuzz's time
                final int[] states = { 0, 2, 3, -1, Integer.MAX_VALUE, random.nextInt() | 4 };
                putInt(channel, field, states[random.nextInt(states.length)]);
                contentMustMatch = true;
                return;
            }
            final long current = getLong(channel, field);
            final long[] values = { 0, -1, -8, 1, 7, current + 8, current - 8, current + 1, current + capacity,
                current - capacity, current + capacity + 8, current - capacity - 8, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MAX_VALUE & -8L, current ^ (1L << random.nextInt(63)), random.nextLong() };
            putLong(channel, field, values[random.nextInt(values.length)]);
            contentMustMatch = field == RingDescriptor.RECOVERED_CLAIMS_OFFSET || field == RingDescriptor.STREAM_OFFSET;
        }

        /**
         * A party record's words, or an MPSC slot's reservation. Owner words keep pid 0: a record naming a process
         * that never wrote a heartbeat is, by design, waited for during the staleness period (10 s).
         */
        private void mutateParties(final FileChannel channel) throws IOException
        {
            final int record = kind == RingKind.SPSC || random.nextBoolean() ?
                (random.nextBoolean() ? RingDescriptor.CONSUMER_PARTY_OFFSET : RingDescriptor.PRODUCER_PARTY_OFFSET) :
                RingDescriptor.producerSlotOffset(random.nextInt(4));
            final boolean slotField = record >= RingDescriptor.PRODUCER_TABLE_OFFSET && random.nextBoolean();
            if (slotField)
            {
                final int field = random.nextBoolean() ? ProducerSlotDescriptor.RESERVATION_START_OFFSET : ProducerSlotDescriptor.RESERVATION_END_OFFSET;
                final long tail = getLong(channel, RingDescriptor.TAIL_OFFSET);
                final long[] values = { 0, -1, -2, -3, 1, tail, tail + 8, tail + 4, tail + capacity, tail + 2L * capacity,
                    1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong() };
                putLong(channel, record + field, values[random.nextInt(values.length)]);
                detail = "slot at " + record + " +" + field;
                return;
            }
            final int word = random.nextInt(PartyDescriptor.LENGTH / 8) * 8;
            final long value = word == PartyDescriptor.OWNER_OFFSET ? (random.nextLong() & 0xFFFF_FFFF_0000_0000L) : random.nextLong();
            putLong(channel, record + word, value);
            detail = "party record at " + record + " +" + word;
        }

        private int interestingInt()
        {
            final int[] values = { 0, -1, -2, -8, 1, 7, 8, 9, 0x7FFFFFFF, 0x80000000, 0x7FFFFFF8, 0x7FFFFFF9, capacity,
                capacity + 8, capacity / 2, maxMessageLength + 8, maxMessageLength + 9, maxMessageLength + 16, 0xC0000000,
                0x80001001, random.nextInt(), random.nextInt(capacity) };
            return values[random.nextInt(values.length)];
        }

        /**
         * @return what happened, for the tally: the first stage that threw and what, or "ok".
         */
        String drive()
        {
            final String stage;
            final long startNs = System.nanoTime();
            final List<byte[]> delivered = new ArrayList<>();
            String reached = "open";
            String stat = "";
            try (RingFile file = RingFile.open(path))
            {
                reached = "stat";
                stat = RingReport.print(file, new PrintWriter(new StringWriter())) != null ? "stat corrupt, " : "stat ok, ";
                reached = "consumer";
                consume(file, delivered);
                reached = "producer";
                produce(file);
                reached = "consumer again";
                consume(file, new ArrayList<>());
                stage = stat + "ok";
            }
            catch (final InsecureFileException ex)
            {
                // the fuzz's own file, made 0600 by RingFile.create: refusing it would test nothing else
                throw failure("the fuzz's own ring file was refused for its owner or mode", ex);
            }
            catch (final ShmringException ex)
            {
                return finish(stat + reached + ": " + ex.getClass().getSimpleName(), delivered, startNs);
            }
            catch (final RuntimeException | Error ex)
            {
                throw failure("undocumented exception at " + reached, ex);
            }
            return finish(stage, delivered, startNs);
        }

        private void consume(final RingFile file, final List<byte[]> delivered)
        {
            final MessageHandler handler = (typeId, buffer, offset, length) -> delivered.add(bytes(buffer, offset, length));
            try (Subscriber consumer = kind(file) == RingKind.SPSC ? new SpscConsumer(file) : new MpscConsumer(file))
            {
                for (int round = 0; round <= capacity / 8; round++)
                {
                    if (consumer.take(handler, 64, TAKE_NS, TimeUnit.NANOSECONDS) == 0)
                    {
                        return;
                    }
                }
                throw failure("take kept delivering past what the ring can hold", null);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw failure("interrupted", ex);
            }
        }

        private void produce(final RingFile file)
        {
            try (Publisher producer = kind(file) == RingKind.SPSC ? new SpscProducer(file) : new MpscProducer(file))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.min(file.maxMessageLength(), 40)]);
                for (int i = 0; i < 3; i++)
                {
                    producer.offer(TYPE_ID, payload, 0, payload.capacity(), TAKE_NS, TimeUnit.NANOSECONDS);
                }
                final int index = producer.tryClaim(TYPE_ID, payload.capacity());
                if (index >= 0)
                {
                    producer.buffer().putBytes(index, payload, 0, payload.capacity());
                    producer.commit(index);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw failure("interrupted", ex);
            }
        }

        private RingKind kind(final RingFile file)
        {
            return file.kind();
        }

        private String finish(final String outcome, final List<byte[]> delivered, final long startNs)
        {
            if (contentMustMatch && !outcome.startsWith("open"))
            {
                final int count = Math.min(delivered.size(), pending.size());
                for (int i = 0; i < count; i++)
                {
                    if (!Arrays.equals(pending.get(i), delivered.get(i)))
                    {
                        throw failure("message " + i + " delivered changed", null);
                    }
                }
                if (outcome.endsWith(" ok") && delivered.size() != pending.size())
                {
                    throw failure("delivered " + delivered.size() + " of " + pending.size() + " pending messages", null);
                }
            }
            checkPositions();
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            if (elapsedMs > 20_000)
            {
                throw failure("took " + elapsedMs + " ms", null);
            }
            return mutation + " -> " + outcome;
        }

        /**
         * Head and tail in the file are valid, or exactly as the mutation left them.
         */
        private void checkPositions()
        {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
            {
                if (channel.size() < RingDescriptor.CONTROL_BLOCK_OFFSET + 4096)
                {
                    return;
                }
                final long head = getLong(channel, RingDescriptor.HEAD_OFFSET);
                final long tail = getLong(channel, RingDescriptor.TAIL_OFFSET);
                final boolean valid = head >= 0 && (head & 7) == 0 && (tail & 7) == 0 && tail - head >= 0 && tail - head <= capacity;
                if (!valid && !(head == mutatedHead && tail == mutatedTail))
                {
                    throw failure("positions moved to invalid values: head=" + head + " tail=" + tail + " (mutated head=" +
                        mutatedHead + " tail=" + mutatedTail + ")", null);
                }
            }
            catch (final IOException ex)
            {
                throw failure("cannot read the file back", ex);
            }
        }

        private AssertionError failure(final String what, final Throwable cause)
        {
            final AssertionError error = new AssertionError("fuzz seed=" + seed + " case=" + caseNumber + " " + kind +
                " capacity=" + capacity + " maxMessageLength=" + maxMessageLength + " mutation=" + mutation + " " + detail +
                ": " + what + " (rerun: -Dshmring.fuzz.seed=" + seed + " -Dshmring.fuzz.case=" + caseNumber + ")");
            if (cause != null)
            {
                error.initCause(cause);
            }
            return error;
        }
    }

    private static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static void putInt(final FileChannel channel, final long offset, final int value) throws IOException
    {
        channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
    }

    private static void putLong(final FileChannel channel, final long offset, final long value) throws IOException
    {
        channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
    }

    private static long getLong(final FileChannel channel, final long offset) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(buffer, offset);
        return buffer.getLong(0);
    }
}
