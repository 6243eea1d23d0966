package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

/**
 * Child JVM of the cross-process MPSC tests: one producer process.
 * <p>
 * Arguments: {@code path producerId count mode [pauseMs]}. It prints {@code READY <slot>}, waits for a
 * {@code GO} line on stdin, sends {@code count} {@link TestMessages} with sequences 0..count-1, then per
 * mode: {@code stream} prints {@code DONE} and exits; {@code claim-hang} claims the next sequence,
 * writes half of it, prints {@code CLAIMED} and hangs; {@code reserve-hang} moves the tail as a claim
 * does but dies (hangs) before writing the header, printing {@code RESERVED}; {@code slow-claim} claims
 * the next sequence, prints {@code CLAIMED}, pauses {@code pauseMs}, writes and commits it and prints
 * {@code COMMITTED}.
 */
public final class MpscProducerMain
{
    private MpscProducerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String path = args[0];
        final int producerId = Integer.parseInt(args[1]);
        final long count = Long.parseLong(args[2]);
        final String mode = args[3];
        final long pauseMs = args.length > 4 ? Long.parseLong(args[4]) : 0;
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (RingFile file = RingFile.open(Paths.get(path), RingKind.MPSC);
            MpscProducer producer = new MpscProducer(file))
        {
            say("READY " + producer.slot());
            if (!"GO".equals(stdin.readLine()))
            {
                throw new IllegalStateException("expected GO");
            }
            final UnsafeBuffer message = new UnsafeBuffer(new byte[TestMessages.LENGTH]);
            for (long sequence = 0; sequence < count; sequence++)
            {
                TestMessages.write(message, 0, producerId, sequence);
                while (!producer.offer(TestMessages.TYPE_ID, message, 0, TestMessages.LENGTH))
                {
                    Thread.yield();
                }
            }
            switch (mode)
            {
                case "stream":
                    say("DONE");
                    break;
                case "claim-hang":
                {
                    final int index = claim(producer);
                    producer.buffer().putInt(index + TestMessages.PRODUCER_ID_OFFSET, producerId);
                    say("CLAIMED");
                    Thread.sleep(Long.MAX_VALUE);
                    break;
                }
                case "reserve-hang":
                    reserveWithoutHeader(file, producer.slot());
                    say("RESERVED");
                    Thread.sleep(Long.MAX_VALUE);
                    break;
                case "slow-claim":
                {
                    final int index = claim(producer);
                    say("CLAIMED");
                    Thread.sleep(pauseMs);
                    TestMessages.write(producer.buffer(), index, producerId, count);
                    producer.commit(index);
                    say("COMMITTED");
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown mode: mode=" + mode);
            }
        }
    }

    private static int claim(final MpscProducer producer)
    {
        int index;
        while ((index = producer.tryClaim(TestMessages.TYPE_ID, TestMessages.LENGTH)) < 0)
        {
            Thread.yield();
        }
        return index;
    }

    /**
     * What {@link MpscProducer} does up to its tail CAS, for a frame of one test message.
     */
    private static void reserveWithoutHeader(final RingFile file, final int slot)
    {
        final AtomicBuffer buffer = file.buffer();
        final int offset = RingDescriptor.producerSlotOffset(slot);
        final int alignedLength = io.shmring.core.FrameDescriptor.alignedFrameLength(TestMessages.LENGTH);
        while (true)
        {
            final long tail = buffer.getLongVolatile(RingDescriptor.TAIL_OFFSET);
            final long head = buffer.getLongVolatile(RingDescriptor.HEAD_OFFSET);
            final int toEnd = file.capacity() - ((int)tail & (file.capacity() - 1));
            final long end = tail + (alignedLength > toEnd ? toEnd + alignedLength : alignedLength);
            if (end - head > file.capacity())
            {
                Thread.yield();
                continue;
            }
            buffer.putLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET, tail);
            buffer.putLongVolatile(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET, end);
            if (buffer.compareAndSetLong(RingDescriptor.TAIL_OFFSET, tail, end))
            {
                return;
            }
        }
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }
}
