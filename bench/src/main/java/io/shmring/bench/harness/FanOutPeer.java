package io.shmring.bench.harness;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.List;

/**
 * One way of fanning every message of one producer out to several consumer processes, as the fan-out mode
 * ({@code --fanout}) measures it: the parent opens the producer end (making the files), each consumer child opens its
 * end by index.
 */
interface FanOutPeer extends NamedPeer
{
    /** Every peer of the fan-out table, in table order (the Agrona baseline last). */
    PeerList<FanOutPeer> PEERS = new PeerList<>("fan-out peer", List.of(
        new ShmBroadcastFanOut(true),
        new ShmBroadcastFanOut(false),
        new ShmSpscPerConsumerFanOut(),
        new AgronaBroadcastFanOut()));

    /**
     * @return true if every consumer must receive every message (a child that misses one fails the run); false if a
     *         consumer may be lapped (it must still never deliver a message twice or out of order).
     */
    boolean lossless();

    /**
     * @param directory this run's directory.
     * @param consumers how many consumer processes will attach.
     * @param spin      the producer's idle and stall check while it waits for space (lossless peers).
     * @return the producer end; the files exist when it returns.
     * @throws Exception if it cannot be made.
     */
    Producer producer(Path directory, int consumers, SpinWait spin) throws Exception;

    /**
     * @param directory this run's directory.
     * @param index     the consumer's index, {@code 0 <= index < consumers}.
     * @return the consumer end, joined: it receives everything sent after this returns.
     * @throws Exception if it cannot be opened.
     */
    Consumer consumer(Path directory, int index) throws Exception;

    /**
     * The producer end. Not thread-safe.
     */
    interface Producer extends AutoCloseable
    {
        /**
         * Send one message to every consumer, waiting (busy spin) while a lossless peer has no space.
         *
         * @param typeId message type, {@code >= 1}.
         * @param src    the payload.
         * @param length payload bytes.
         * @throws PeerStalledException if a consumer is gone or nothing moved for the stall timeout.
         */
        void send(int typeId, DirectBuffer src, int length);
    }

    /**
     * A consumer end. Not thread-safe.
     */
    interface Consumer extends AutoCloseable
    {
        /**
         * @param handler told of each message.
         * @param limit   most messages.
         * @return messages delivered, 0 if none is ready.
         * @throws IllegalStateException if a lossless consumer was dropped.
         */
        int poll(MessageHandler handler, int limit);

        /**
         * @return times this consumer was lapped (lossy peers; 0 for lossless).
         */
        long laps();
    }
}
