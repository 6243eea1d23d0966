package io.shmring.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.shmring.core.MessageHandler;
import io.shmring.core.Transports;
import io.shmring.core.FrameStreamException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages that are not shmring frames, sent by a plain Aeron publication on the subscriber's stream: each is
 * consumed and reported by an exception naming its values, after the frames before it; the frames after it
 * still arrive.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronBadFrameTest
{
    private static final int MAX = 100;

    @Test
    void shouldDeliverGoodFramesAndNameEachBadOne() throws Exception
    {
        final int streamId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        final List<Integer> delivered = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        try (AeronSubscriber subscriber = (AeronSubscriber)Transports.subscriber(
            "aeron:ipc?term-length=64k&streamId=" + streamId + "&maxMessageLength=" + MAX);
             Aeron raw = Aeron.connect(new Aeron.Context().aeronDirectoryName(subscriber.aeronDirectory()));
             ExclusivePublication publication = raw.addExclusivePublication("aeron:ipc?term-length=64k", streamId))
        {
            send(publication, frame(12, 9, 1000));
            send(publication, new byte[5]);                      // shorter than a header
            send(publication, frame(13, 9, 1001));
            send(publication, frame(99, 9, 1002));               // length field is not the message length
            send(publication, frame(12, -4, 1003));              // reserved type id
            send(publication, frame(8 + MAX + 1, 9, 1004));      // payload above maxMessageLength
            send(publication, frame(12, 9, 1005));

            final MessageHandler handler = (typeId, buffer, offset, length) -> delivered.add(buffer.getInt(offset));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.size() < 3 && System.nanoTime() - deadline < 0)
            {
                try
                {
                    subscriber.take(handler, 10, 100, TimeUnit.MILLISECONDS);
                }
                catch (final FrameStreamException ex)
                {
                    failures.add(ex.getMessage());
                }
            }
            assertEquals(4, subscriber.badFrames());
        }
        assertEquals(List.of(1000, 1001, 1005), delivered);
        assertEquals(4, failures.size(), failures::toString);
        assertTrue(failures.get(0).contains("frameLength=-1 messageLength=5"), failures.get(0));
        assertTrue(failures.get(1).contains("frameLength=99 messageLength=13 typeId=9"), failures.get(1));
        assertTrue(failures.get(2).contains("frameLength=12 messageLength=12 typeId=-4"), failures.get(2));
        assertTrue(failures.get(3).contains("frameLength=109 messageLength=109 typeId=9 maxMessageLength=100"),
            failures.get(3));
        assertEquals(List.of(), AeronTestSupport.ownDriverDirectories());
    }

    private static byte[] frame(final int lengthField, final int typeId, final int value)
    {
        final int length = Math.max(12, lengthField == 99 ? 13 : lengthField);
        final ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(lengthField).putInt(typeId).putInt(value);
        return bytes.array();
    }

    private static void send(final ExclusivePublication publication, final byte[] message) throws InterruptedException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (publication.offer(buffer) < 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("raw publication not accepted within 20 s");
            }
            Thread.sleep(1);
        }
    }
}
