package io.shmring.ringbuffer.vectors;

import io.shmring.core.Subscriber;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A delivered message: type id and payload (ASCII in the vectors).
 *
 * @param typeId  the frame's type id.
 * @param payload its payload as text.
 */
record Message(int typeId, String payload)
{
    /**
     * One poll of up to 16 messages.
     *
     * @param subscriber a consumer.
     * @return what it delivered, in order.
     */
    static List<Message> poll(final Subscriber subscriber)
    {
        final List<Message> messages = new ArrayList<>();
        subscriber.poll((typeId, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            messages.add(new Message(typeId, new String(bytes, StandardCharsets.US_ASCII)));
        }, 16);
        return messages;
    }

    /**
     * One poll that must deliver {@code count} messages: a documented step of a vector.
     *
     * @throws IllegalStateException if it delivers another number.
     */
    static void pollExactly(final Subscriber subscriber, final int count)
    {
        final int delivered = poll(subscriber).size();
        if (delivered != count)
        {
            throw new IllegalStateException("a vector's documented poll delivered " + delivered + " messages, not " + count);
        }
    }
}
