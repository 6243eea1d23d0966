package io.shmring.ringbuffer;

/**
 * Told when a lossy broadcast consumer finds it was lapped: the producer overwrote bytes it had not read. The consumer
 * has skipped to the tail (a frame boundary) and tells the listener before delivering the next message, so the gap is
 * exactly where the call falls in the stream of messages. Called on the polling thread; must not poll.
 */
@FunctionalInterface
public interface LapListener
{
    /**
     * @param lostBytes bytes skipped by this lap: the frames, headers and padding between where the consumer was and
     *                  the tail it starts again at.
     */
    void onLap(long lostBytes);
}
