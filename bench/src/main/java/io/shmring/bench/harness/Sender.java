package io.shmring.bench.harness;

import org.agrona.DirectBuffer;

/**
 * One direction of a measured transport, the sending end: hands a message over, waiting (by the
 * transport's mode: busy spin, or sleeping for space) until the transport took it.
 */
public interface Sender extends AutoCloseable
{
    /**
     * Send a message, waiting while the transport has no room.
     *
     * @param typeId application type id.
     * @param src    payload buffer.
     * @param offset payload start in {@code src}.
     * @param length payload bytes.
     * @throws PeerStalledException if nothing was accepted for the stall timeout or the peer died.
     */
    void send(int typeId, DirectBuffer src, int offset, int length);

    /**
     * Push out what the transport batches (stream adapters with {@code batch=N}); rings need nothing.
     */
    default void flush()
    {
    }

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
