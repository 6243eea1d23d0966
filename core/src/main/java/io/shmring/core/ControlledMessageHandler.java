package io.shmring.core;

import org.agrona.DirectBuffer;

/**
 * A {@link MessageHandler} that decides, message by message, how a controlled poll goes on.
 */
@FunctionalInterface
public interface ControlledMessageHandler
{
    /** What the poll does after the handler returns. */
    enum Action
    {
        /** Leave this message unconsumed and stop: the next poll delivers it again. */
        ABORT,
        /** Consume this message and stop the poll. */
        BREAK,
        /** Consume this message, release the space read so far to producers now, and go on. */
        COMMIT,
        /** Consume this message and go on. */
        CONTINUE
    }

    /**
     * @param typeId application type id of the message.
     * @param buffer memory holding the payload.
     * @param offset where the payload starts in {@code buffer}.
     * @param length payload length in bytes.
     * @return how the poll goes on.
     */
    Action onMessage(int typeId, DirectBuffer buffer, int offset, int length);
}
