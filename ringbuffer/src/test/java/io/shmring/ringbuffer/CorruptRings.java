package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.MessageHandler;
import io.shmring.core.test.TestPaths;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rings with a field broken by hand, as a hostile or buggy peer would leave them: the helpers write straight into the
 * mapped file, and read back what the ends left there.
 */
final class CorruptRings
{
    private CorruptRings()
    {
    }

    /**
     * @param prefix what the ring is for.
     * @param config its shape.
     * @return a new ring file in /dev/shm; close and delete it with {@link TestRings#closeAndDelete}.
     */
    static RingFile create(final String prefix, final RingConfig config)
    {
        final Path path = TestPaths.uniqueShmPath(prefix);
        return RingFile.create(path, config);
    }

    /**
     * @param text a message.
     * @return its UTF-8 bytes in a buffer.
     */
    static UnsafeBuffer payload(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Offer {@code texts} one by one; each must fit.
     */
    static void send(final io.shmring.core.Publisher producer, final String... texts)
    {
        for (final String text : texts)
        {
            final UnsafeBuffer payload = payload(text);
            if (!producer.offer(1, payload, 0, payload.capacity()))
            {
                throw new IllegalStateException("ring full sending " + text);
            }
        }
    }

    /**
     * @param file a ring.
     * @return the head position stored in the file.
     */
    static long head(final RingFile file)
    {
        return file.buffer().getLongVolatile(RingDescriptor.HEAD_OFFSET);
    }

    /**
     * @param file a ring.
     * @return the tail position stored in the file.
     */
    static long tail(final RingFile file)
    {
        return file.buffer().getLongVolatile(RingDescriptor.TAIL_OFFSET);
    }

    /**
     * A handler that keeps each message's text and never copies more than it is given.
     */
    static final class Received implements MessageHandler
    {
        final List<String> texts = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            lengths.add(length);
            texts.add(length <= 4096 ? buffer.getStringWithoutLengthUtf8(offset, length) : "<" + length + " bytes>");
        }
    }
}
