package io.shmring.core;

/**
 * The receiving end of a transport. Not thread-safe: one thread polls.
 */
public interface Subscriber extends AutoCloseable
{
    /**
     * Deliver the messages available now, without blocking.
     *
     * @param handler receives each message in place.
     * @param limit   most messages to deliver.
     * @return messages delivered.
     */
    int poll(MessageHandler handler, int limit);

    /**
     * Like {@link #poll} with the handler choosing, per message, whether to consume it and go on.
     *
     * @param handler receives each message and returns an action.
     * @param limit   most messages to deliver.
     * @return messages consumed.
     */
    int controlledPoll(ControlledMessageHandler handler, int limit);

    /**
     * Release the subscriber's resources.
     */
    @Override
    void close();
}
