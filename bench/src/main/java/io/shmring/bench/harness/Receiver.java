package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;

/**
 * One direction of a measured transport, the receiving end: delivers messages, waiting (by the
 * transport's mode: busy spin, or sleeping until signalled) until at least one arrived.
 */
public interface Receiver extends AutoCloseable
{
    /**
     * Deliver at least one message, waiting for it.
     *
     * @param handler receives each message in place.
     * @param limit   most messages to deliver.
     * @return messages delivered, {@code >= 1}.
     * @throws PeerStalledException if nothing arrived for the stall timeout or the peer died.
     */
    int receive(MessageHandler handler, int limit);

    /**
     * @return native sleep calls this end made so far (blocking shm modes; 0 otherwise).
     */
    default long waitCalls()
    {
        return 0;
    }

    /**
     * @return native wake calls this end made so far (blocking shm modes; 0 otherwise).
     */
    default long wakeCalls()
    {
        return 0;
    }

    @Override
    void close();
}
