package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;

/**
 * The stream word at {@link RingDescriptor#STREAM_OFFSET}: {@code generation << 1 | ended}. Each stream
 * (the run of messages between a producer attaching to an idle ring and the last producer closing) has a
 * generation; a producer attaching when the stream has ended starts the next one, so an end of stream seen
 * by a consumer always belongs to the stream it is reading, never to an earlier one. A crash ends no stream.
 */
final class StreamWord
{
    private StreamWord()
    {
    }

    /**
     * @param word a stream word.
     * @return true if its stream has ended.
     */
    static boolean isEnded(final long word)
    {
        return (word & 1) != 0;
    }

    /**
     * @param word a stream word.
     * @return the word of the next stream, open.
     */
    static long next(final long word)
    {
        return ((word >>> 1) + 1) << 1;
    }

    /**
     * @param word a stream word, open.
     * @return the same stream, ended.
     */
    static long ended(final long word)
    {
        return word | 1;
    }
}
