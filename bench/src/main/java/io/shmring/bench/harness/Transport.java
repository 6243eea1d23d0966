package io.shmring.bench.harness;

import java.util.List;

/**
 * A Java peer the harness measures: how the parent and the echoing child each open their two channels,
 * ping (parent to child) and pong (child to parent). The parent opens its side first (creating files
 * and listening sockets), starts the child with what its side {@link TransportSide#announce announces},
 * the child opens its side and announces back (e.g. a port), and both sides then
 * {@link TransportSide#connect connect}.
 */
public interface Transport extends MeasuredPeer
{
    /** Capacity of every ring the harness makes (shmring, Agrona): room for many 64 KiB messages. */
    int RING_CAPACITY = 4 * 1024 * 1024;

    /** Largest message every transport is set up for (rings allow capacity / 8; streams are told this). */
    int MAX_MESSAGE_LENGTH = 256 * 1024;

    /**
     * @return JVM flags the child needs beyond shmring's.
     */
    default List<String> childJvmFlags()
    {
        return List.of();
    }

    /**
     * @return true if messages travel over the child's stdin and stdout (the child then must not print).
     */
    default boolean usesChildStandardStreams()
    {
        return false;
    }

    /**
     * Runs {@link ChildRun}: this process is the parent side, an {@link EchoChild} JVM the other.
     */
    @Override
    default List<PhaseResult> measure(final PeerRun run, final PhaseListener listener) throws Exception
    {
        return new ChildRun(this, run).run(listener);
    }

    /**
     * @param role    which process this is.
     * @param context the run's directory, stall check and stream batching.
     * @return this process's side, with what must exist before the peer connects already made.
     * @throws Exception if it cannot be opened.
     */
    TransportSide open(Role role, TransportContext context) throws Exception;

    /**
     * Which process a side belongs to.
     */
    enum Role
    {
        /** Sends pings, receives pongs, measures. */
        PARENT,
        /** Receives pings, sends pongs (echo) or streams messages (one-way). */
        CHILD
    }
}
