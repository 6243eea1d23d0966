package io.shmring.core;

import org.agrona.DirectBuffer;

/**
 * Receives messages in place. The buffer is the transport's own memory (the mapped ring, or the
 * stream reader's receive buffer): read what you need before returning, never keep a reference.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param typeId application type id of the message (never negative).
     * @param buffer memory holding the payload.
     * @param offset where the payload starts in {@code buffer}.
     * @param length payload length in bytes.
     */
    void onMessage(int typeId, DirectBuffer buffer, int offset, int length);
}
