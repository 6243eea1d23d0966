package io.shmring.bench.harness;

import java.util.Map;

/**
 * One process's two channels of a {@link Transport}: a {@link Sender} (ping for the parent, pong for
 * the child) and a {@link Receiver} (the other one). Closing releases and, on the side that made them,
 * deletes files.
 */
public interface TransportSide extends AutoCloseable
{
    /**
     * @return what the peer needs to connect (e.g. a TCP port); empty for most transports.
     */
    default Map<String, String> announce()
    {
        return Map.of();
    }

    /**
     * Open what needs the peer's announcement or process.
     *
     * @param fromPeer what the peer announced.
     * @param child    the child process on the parent side, null on the child side.
     * @throws Exception if it cannot connect.
     */
    void connect(Map<String, String> fromPeer, Process child) throws Exception;

    /**
     * @return the sending channel, after {@link #connect}.
     */
    Sender sender();

    /**
     * @return the receiving channel, after {@link #connect}.
     */
    Receiver receiver();

    @Override
    void close();
}
