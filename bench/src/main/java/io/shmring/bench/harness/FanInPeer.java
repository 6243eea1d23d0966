package io.shmring.bench.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * One multi-producer ring, as the fan-in mode ({@code --fanin}) measures it: the parent makes the ring file, each
 * producer child and the consumer child open their end of it. Both ends spin: the producer while the ring is full, the
 * consumer while it is empty.
 */
interface FanInPeer extends NamedPeer
{
    /** Every peer of the fan-in table, in table order (the Agrona baseline last). */
    PeerList<FanInPeer> PEERS = new PeerList<>("fan-in peer", List.of(new ShmMpscFanIn(), new AgronaManyToOneFanIn()));

    /**
     * @param directory this run's directory.
     * @return what deletes the ring file when closed; the file exists when this returns.
     * @throws Exception if it cannot be made.
     */
    AutoCloseable create(Path directory) throws Exception;

    /**
     * @param directory this run's directory.
     * @param spin      the producer's idle and stall check while the ring is full.
     * @return a producer end, registered: what it sends from now on reaches the consumer.
     * @throws Exception if it cannot be opened.
     */
    Sender producer(Path directory, SpinWait spin) throws Exception;

    /**
     * @param directory this run's directory.
     * @param spin      the consumer's idle and stall check while the ring is empty.
     * @return the consumer end.
     * @throws Exception if it cannot be opened.
     */
    Receiver consumer(Path directory, SpinWait spin) throws Exception;
}
